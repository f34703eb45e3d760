module github.com/gaisort/gaisort

go 1.26
