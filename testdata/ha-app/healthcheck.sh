#!/bin/sh
# Healthy when the ingress port answers.
exec wget -q -O /dev/null "http://127.0.0.1:${PORT:-8099}/health"
