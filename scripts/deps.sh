#!/bin/sh
# deps.sh (make deps): the system packages `make test` needs beyond Go.
# Each is looked for first; when all are present this prints nothing and
# touches no package list. Otherwise, on Debian as root, it installs the
# missing ones (apt-get update, then install); anywhere else it prints one
# line naming them and fails.
#
#   gcc, libc6-dev               the oracle's C probe, built by gcc against
#                                every glibc and musl version it fetches
#                                (libc6-dev brings the kernel headers)
#   iproute2, util-linux         the oracle's namespaces (ip, unshare)
#   strace                       the oracle's traces
#   chromium                     make site-test (/usr/bin/chromium)
#   nodejs, npm                  make js-test, make site-test
#   python3-venv                 make py-test (python3 -m venv with pip)
set -eu

need=""
add() { need="$need${need:+ }$*"; }
command -v gcc >/dev/null 2>&1 || add gcc libc6-dev
[ -f /usr/include/linux/errno.h ] || add linux-libc-dev
command -v ip >/dev/null 2>&1 || add iproute2
command -v unshare >/dev/null 2>&1 || add util-linux
command -v strace >/dev/null 2>&1 || add strace
[ -x /usr/bin/chromium ] || add chromium
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || add nodejs npm
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || add python3-venv

[ -z "$need" ] && exit 0

if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
  echo "deps: installing $need"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # $need is split into words on purpose.
  # shellcheck disable=SC2086
  apt-get install -y -qq $need >/dev/null
  exit 0
fi
echo "deps: make test needs these Debian packages, missing here: $need (as root: apt-get install -y $need)" >&2
exit 1
