// Command probe is wasiexec's test subject: it prints its arguments, an
// environment variable and a file's contents, then exits with code 3.
package main

import (
	"fmt"
	"os"
)

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Printf("args=%q env=%s file=%s\n", os.Args[2:], os.Getenv("WASIEXEC_PROBE"), data)
	os.Exit(3)
}
