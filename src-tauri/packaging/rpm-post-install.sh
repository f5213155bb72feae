#!/bin/sh
# The app's binary is also the command-line tool when started under that name.
ln -sf oneshot-desk /usr/bin/oneshot-desk-cli
