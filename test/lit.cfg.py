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
