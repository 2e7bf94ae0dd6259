"""Offline stand-in for the pip bootstrap script that ansible-test downloads.

ansible-test bootstraps pip in each sanity virtual environment with a script it fetches
from ci-files.testing.ansible.com, which is not reachable from our machines. It looks in
~/.ansible/test/cache/ first; `make` copies this file there. It runs ensurepip in its own
process (so pip later honours the machine's pip configuration) and then installs the
packages ansible-test asked for.
"""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
