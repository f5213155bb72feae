#!/bin/sh
# Removed only when the package goes (0 instances left), not when it is upgraded.
if [ "$1" -eq 0 ]; then
  rm -f /usr/bin/oneshot-desk-cli
fi
