#!/bin/sh
# Regenerates chunked-uint8-gzip.h5, the chunked and compressed fixture of LabDatasetTest, with
# the HDF5 library itself (through h5py) rather than jhdf:
#   data   uint8 (5,3,55,47), NCHW, pixel (n,c,y,x) = (37n + 101c + 7y + 3x) mod 256 as in
#          Hdf5Fixtures.pixel; chunks (2,2,16,16), so that every dimension ends in a partial
#          chunk; deflate (gzip) level 6
#   label  float32 (5), 7n mod 1283 as in Hdf5Fixtures.label: 0, 7, 14, 21, 28
# The file records no modification times, so that it comes out the same byte for byte on every
# run (checked with Debian's python3-h5py 3.7.0 and HDF5 1.10.8; other versions may lay out the
# same content differently).
# Usage: make-chunked-fixture.sh [OUTPUT]; OUTPUT defaults to the fixture next to this script.
# PYTHON names the interpreter with h5py and numpy, by default /usr/bin/python3.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/chunked-uint8-gzip.h5}

"${PYTHON:-/usr/bin/python3}" - "$out" <<'PY'
import sys

import h5py
import numpy as np

n, c, y, x = np.meshgrid(np.arange(5), np.arange(3), np.arange(55), np.arange(47),
                         indexing="ij")
data = ((37 * n + 101 * c + 7 * y + 3 * x) % 256).astype(np.uint8)
label = (np.arange(5) * 7 % 1283).astype(np.float32)
with h5py.File(sys.argv[1], "w", libver="earliest") as f:
    f.create_dataset("data", data=data, chunks=(2, 2, 16, 16), compression="gzip",
                     compression_opts=6, track_times=False)
    f.create_dataset("label", data=label, track_times=False)
PY
