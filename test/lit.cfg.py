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
