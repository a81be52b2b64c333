# -*- Python -*-
# lit configuration of the longnet-mlir regression suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "LONGNET"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.longnet_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.txt", "lit.cfg.py", "lit.site.cfg.py", "Install"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%longnet_src_root", config.longnet_src_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Our tools first, then FileCheck, not, count, ... from LLVM.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
tool_dirs = [config.longnet_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("longnet-compile", unresolved="fatal"),
    ToolSubst("longnet-opt", unresolved="fatal"),
    ToolSubst("longnet-run", unresolved="fatal"),
    ToolSubst("longnet-exec", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# `cuda`: a CUDA driver with at least one device (tests that run GPU code
# are marked `REQUIRES: cuda` and skip cleanly elsewhere).
def has_cuda_device():
    import ctypes
    try:
        cuda = ctypes.CDLL("libcuda.so.1")
        count = ctypes.c_int(0)
        return cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 and count.value > 0
    except OSError:
        return False

if has_cuda_device():
    config.available_features.add("cuda")

# `ptxas`: the CUDA toolkit's assembler, needed for fatbin/cubin output.
if os.path.exists("/usr/local/cuda/bin/ptxas"):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", "/usr/local/cuda/bin/ptxas"))

# `mpi`: Open MPI's mpirun, for the sequence-parallel runs on CPU ranks.
# `%mpirun` runs as root in containers and oversubscribes the cores; each
# rank's compiled code then uses one thread.
import shutil
if shutil.which("mpirun"):
    config.available_features.add("mpi")
    config.substitutions.append(
        ("%mpirun", "mpirun --allow-run-as-root --oversubscribe -x OMP_NUM_THREADS=1"))
    config.environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
    config.environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
    config.environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none"
    config.environment["LONGNET_COMM_TIMEOUT_S"] = "60"

# `ptxemu`: ../shared/ptxemu (a PTX interpreter in numpy, its README) runs the
# compiled GPU code of a model on the CPU. Present when the folder is there,
# a Python with numpy is found (the project's .venv first: scripts/
# install-deps.sh makes it) and its selftest passes; the GPU correctness
# matrix then runs under emulation (test/Integration/GPUEmulated).
import subprocess
import sys

def find_numpy_python():
    candidates = [os.environ.get("LONGNET_PTXEMU_PYTHON", ""),
                  os.path.join(config.longnet_src_root, ".venv", "bin", "python"),
                  sys.executable, shutil.which("python3") or ""]
    for python in candidates:
        if python and os.access(python, os.X_OK) and subprocess.call(
                [python, "-c", "import numpy"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL) == 0:
            return python
    return None

ptxemu = os.path.normpath(os.path.join(config.longnet_src_root, "..", "shared", "ptxemu", "ptxemu"))
ptxemu_python = find_numpy_python() if os.access(ptxemu, os.R_OK) else None
if ptxemu_python and subprocess.call([ptxemu_python, ptxemu, "selftest"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0:
    config.available_features.add("ptxemu")
    config.substitutions.append(("%ptxemu-python", ptxemu_python))
    config.substitutions.append(("%ptxemu-run", "%s %s run --compiler %s" % (
        ptxemu_python, ptxemu, os.path.join(config.longnet_tools_dir, "longnet-compile"))))
    config.substitutions.append(("%ptxemu", ptxemu))
config.substitutions.append(("%longnet_tools_dir", config.longnet_tools_dir))
llvm_config.with_system_environment(["LONGNET_EMULATE_ALL"])
