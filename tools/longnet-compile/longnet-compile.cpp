//===- longnet-compile.cpp - Model IR to a self-contained shared library --===//
//
// Part of the longnet-mlir project.
//
// longnet-compile FILE.mlir -o OUT [--target=cuda|cpu] [--chip=sm_XX]
//                 [--emit=so|ptx|llvm|mlir]
//
// `so` is a shared library with the model's kernels (a fatbin for cuda), a
// packed entry point and a float64 reference variant per public function, and
// the manifest liblongnet_runtime reads (docs/longnet-compile.md). It needs
// only liblongnet_runtime.so and the C/C++ standard libraries.
//
//===----------------------------------------------------------------------===//

#include "longnet/Conversion/Passes.h"
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("longnet-compile options");
cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                               cl::Required, cl::cat(category));
cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                cl::value_desc("path"), cl::Required,
                                cl::cat(category));
cl::opt<std::string> target("target", cl::desc("cuda or cpu"),
                            cl::init("cuda"), cl::cat(category));
cl::opt<std::string> chip("chip", cl::desc("GPU: sm_80, sm_86, sm_89, sm_90 "
                                           "or sm_90a"),
                          cl::init("sm_80"), cl::cat(category));
cl::opt<std::string> emit("emit", cl::desc("so, ptx, llvm or mlir"),
                          cl::init("so"), cl::cat(category));
cl::opt<int64_t> queryTile("query-tile", cl::desc("CPU flash query tile"),
                           cl::init(96), cl::cat(category));
cl::opt<int64_t> keyTile("key-tile",
                         cl::desc("Key tile (CPU: default 96; GPU tensor-core "
                                  "kernel: default 0 = by D)"),
                         cl::init(-1), cl::cat(category));
cl::opt<std::string> hostCPU("host-cpu",
                             cl::desc("CPU of the host code ('native', or an "
                                      "LLVM CPU name such as x86-64-v3)"),
                             cl::init("native"), cl::cat(category));
cl::opt<bool> withReference("reference",
                            cl::desc("Also compile each entry's float64 "
                                     "reference variant (for --check)"),
                            cl::init(true), cl::cat(category));
cl::opt<std::string> toolkit("cuda-toolkit",
                             cl::desc("CUDA toolkit root (ptxas, fatbinary, "
                                      "libdevice)"),
                             cl::init("/usr/local/cuda"), cl::cat(category));
cl::opt<std::string> runtimeDir(
    "runtime-dir",
    cl::desc("Directory of liblongnet_runtime.so (default: ../lib next to "
             "this tool)"),
    cl::init(""), cl::cat(category));

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "longnet-compile") << message << "\n";
  return 1;
}

/// One public function of the model, as the manifest describes it.
struct EntryInfo {
  std::string name;
  SmallVector<std::string> args, results; // "f32 32768x256"
};

FailureOr<std::string> describeType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || tensor.getRank() > 8)
    return failure();
  Type element = tensor.getElementType();
  std::string text = element.isF16()    ? "f16"
                     : element.isBF16() ? "bf16"
                     : element.isF32()  ? "f32"
                     : element.isF64()  ? "f64"
                                        : "";
  if (text.empty())
    return failure();
  text += " ";
  if (tensor.getRank() == 0)
    return text + "scalar";
  for (auto [i, dim] : llvm::enumerate(tensor.getShape())) {
    if (i)
      text += "x";
    text += ShapedType::isDynamic(dim) ? "?" : std::to_string(dim);
  }
  return text;
}

FailureOr<SmallVector<EntryInfo>> collectEntries(ModuleOp module) {
  SmallVector<EntryInfo> entries;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPublic() || fn.isExternal())
      continue;
    EntryInfo entry;
    entry.name = fn.getSymName().str();
    auto add = [&](TypeRange types, SmallVector<std::string> &out,
                   StringRef kind) -> LogicalResult {
      for (auto [i, type] : llvm::enumerate(types)) {
        FailureOr<std::string> text = describeType(type);
        if (failed(text))
          return fn.emitError() << kind << " " << i << " of @" << entry.name
                                << " has type " << type
                                << "; compiled entries take and return ranked "
                                   "tensors (rank <= 8) of f16, bf16, f32 or "
                                   "f64";
        out.push_back(*text);
      }
      return success();
    };
    if (failed(add(fn.getArgumentTypes(), entry.args, "argument")) ||
        failed(add(fn.getResultTypes(), entry.results, "result")))
      return failure();
    entries.push_back(std::move(entry));
  }
  if (entries.empty())
    return module.emitError("has no public function with a body to compile");
  return entries;
}

std::string referenceName(StringRef name) {
  return (name + "__reference").str();
}

/// The same module with every entry renamed to its reference name.
OwningOpRef<ModuleOp> cloneForReference(ModuleOp module,
                                        ArrayRef<EntryInfo> entries) {
  OwningOpRef<ModuleOp> clone = module.clone();
  SymbolTable symbols(*clone);
  for (const EntryInfo &entry : entries) {
    Operation *fn = symbols.lookup(entry.name);
    StringAttr newName = StringAttr::get(module.getContext(),
                                         referenceName(entry.name));
    if (failed(SymbolTable::replaceAllSymbolUses(fn, newName, *clone)))
      return nullptr;
    SymbolTable::setSymbolName(fn, newName);
  }
  return clone;
}

LogicalResult runPipeline(ModuleOp module, bool cuda, bool reference,
                          StringRef format) {
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  if (cuda && !reference) {
    longnet::LowerToNVVMOptions options;
    options.chip = chip;
    options.format = format.str();
    options.toolkit = toolkit;
    options.keyTile = keyTile < 0 ? 0 : int64_t(keyTile);
    longnet::buildLowerToNVVMPipeline(pm, options);
  } else {
    longnet::LowerToCPUOptions options;
    options.queryTile = queryTile;
    options.keyTile = keyTile < 0 ? 96 : int64_t(keyTile);
    options.reference = reference;
    longnet::buildLowerToCPUPipeline(pm, options);
  }
  return pm.run(module);
}

/// `void _longnet_packed_<name>(void **args)` calling the C interface with
/// args[i] as its i-th (pointer) parameter.
llvm::Error addPackedWrapper(llvm::Module &module, StringRef name) {
  llvm::Function *ciface = module.getFunction(("_mlir_ciface_" + name).str());
  if (!ciface)
    return llvm::createStringError("no C interface was generated for @" +
                                   name);
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrType = llvm::PointerType::getUnqual(ctx);
  for (llvm::Argument &arg : ciface->args())
    if (!arg.getType()->isPointerTy())
      return llvm::createStringError(
          "the C interface of @" + name +
          " takes a non-pointer parameter; entries take only tensors");
  auto *type =
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptrType}, false);
  auto *packed =
      llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                             "_longnet_packed_" + name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", packed));
  SmallVector<llvm::Value *> operands;
  for (unsigned i = 0; i < ciface->arg_size(); ++i) {
    llvm::Value *slot =
        b.CreateConstInBoundsGEP1_64(ptrType, packed->getArg(0), i);
    operands.push_back(b.CreateLoad(ptrType, slot));
  }
  b.CreateCall(ciface, operands);
  b.CreateRetVoid();
  return llvm::Error::success();
}

std::string buildManifest(ArrayRef<EntryInfo> entries, bool cuda) {
  std::string text = "longnet-model 1\n";
  text += cuda ? "target cuda\nchip " + chip + "\n" : "target cpu\n";
  for (const EntryInfo &entry : entries) {
    text += "entry " + entry.name + " _longnet_packed_" + entry.name + "\n";
    for (const std::string &arg : entry.args)
      text += "arg " + arg + "\n";
    for (const std::string &result : entry.results)
      text += "result " + result + "\n";
    if (withReference)
      text += "reference _longnet_packed_" + referenceName(entry.name) + "\n";
    text += "end\n";
  }
  return text;
}

void addManifest(llvm::Module &module, StringRef manifest) {
  llvm::Constant *data =
      llvm::ConstantDataArray::getString(module.getContext(), manifest);
  new llvm::GlobalVariable(module, data->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, data,
                           "longnet_model_manifest");
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createHostMachine() {
  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(llvm::Triple(triple), error);
  if (!target)
    return llvm::createStringError("no LLVM target for " + triple + ": " +
                                   error);
  std::string cpu = hostCPU == "native" ? llvm::sys::getHostCPUName().str()
                                        : hostCPU.getValue();
  std::string features;
  if (hostCPU == "native") {
    llvm::SubtargetFeatures subtarget;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.first(), feature.second);
    features = subtarget.getString();
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      llvm::Triple(triple), cpu, features, options, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for CPU '" +
                                   cpu + "'");
  return machine;
}

llvm::Error emitObject(llvm::Module &module, llvm::TargetMachine &machine,
                       StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '" + path +
                                   "': " + ec.message());
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, out, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  pm.run(module);
  return llvm::Error::success();
}

std::string findRuntimeDir(const char *argv0) {
  if (!runtimeDir.empty())
    return runtimeDir;
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&findRuntimeDir));
  SmallString<256> dir(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(dir, "..", "lib");
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  return std::string(dir);
}

llvm::Error linkSharedLibrary(StringRef object, StringRef output,
                              StringRef libraryDir) {
  SmallString<256> runtime(libraryDir);
  llvm::sys::path::append(runtime, "liblongnet_runtime.so");
  if (!llvm::sys::fs::exists(runtime))
    return llvm::createStringError(
        "cannot find the runtime library '" + runtime +
        "' (pass --runtime-dir=DIR)");
  llvm::ErrorOr<std::string> linker = llvm::sys::findProgramByName("c++");
  if (!linker)
    linker = llvm::sys::findProgramByName("g++");
  if (!linker)
    return llvm::createStringError(
        "no C++ compiler driver (c++ or g++) on PATH to link the library");
  std::string rpath = ("-Wl,-rpath," + libraryDir).str();
  SmallVector<StringRef> args = {*linker,
                                 "-shared",
                                 "-o",
                                 output,
                                 object,
                                 runtime,
                                 "-Wl,-rpath,$ORIGIN",
                                 rpath,
                                 "-Wl,--no-undefined",
                                 "-Wl,-Bsymbolic"};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    return llvm::createStringError(
        "linking '" + output + "' failed" +
        (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

/// Writes the PTX of every kernel module (format isa) to `path`.
LogicalResult writePTX(ModuleOp module, StringRef path) {
  std::string ptx;
  module.walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      ptx += cast<gpu::ObjectAttr>(object).getObject().getValue().str();
  });
  if (ptx.empty())
    return module.emitError("the model has no GPU kernels to write as PTX");
  std::string error;
  auto out = openOutputFile(path, &error);
  if (!out)
    return module.emitError(error);
  out->os() << ptx;
  out->keep();
  return success();
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "longnet-compile: compile model IR to a self-contained shared library\n");
  if (target != "cuda" && target != "cpu")
    return fail("--target must be cuda or cpu, got '" + target + "'");
  if (emit != "so" && emit != "ptx" && emit != "llvm" && emit != "mlir")
    return fail("--emit must be so, ptx, llvm or mlir, got '" + emit + "'");
  bool cuda = target == "cuda";
  if (emit == "ptx" && !cuda)
    return fail("--emit=ptx needs --target=cuda");
  if (cuda && longnet::getPTXFeatures(chip).empty())
    return fail("--chip must be one of sm_80, sm_86, sm_87, sm_89, sm_90, "
                "sm_90a, got '" +
                chip + "'");

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  LLVMInitializeNVPTXTarget();
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTargetMC();
  LLVMInitializeNVPTXAsmPrinter();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<longnet::LongNetDialect>();
  longnet::registerBufferizableOpInterfaceExternalModels(registry);
  MLIRContext context(registry);

  // Diagnostics: one error line each, with its location.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto file = openInputFile(inputFile, &error);
  if (!file)
    return fail(error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  if (failed(verify(*module)))
    return 1;
  FailureOr<SmallVector<EntryInfo>> entries = collectEntries(*module);
  if (failed(entries))
    return 1;

  OwningOpRef<ModuleOp> reference;
  if (withReference && emit != "ptx" && emit != "mlir") {
    reference = cloneForReference(*module, *entries);
    if (!reference || failed(runPipeline(*reference, cuda, true, "")))
      return fail("lowering the reference variant failed");
  }
  if (failed(runPipeline(*module, cuda, false, emit == "ptx" ? "isa" : "fatbin")))
    return fail("lowering '" + inputFile + "' failed");

  if (emit == "ptx")
    return failed(writePTX(*module, outputFile)) ? 1 : 0;
  if (emit == "mlir") {
    auto out = openOutputFile(outputFile, &error);
    if (!out)
      return fail(error);
    module->print(out->os());
    out->keep();
    return 0;
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, "longnet_model");
  if (!llvmModule)
    return fail("translating the lowered model to LLVM IR failed");
  if (reference) {
    std::unique_ptr<llvm::Module> referenceModule =
        translateModuleToLLVMIR(*reference, llvmContext, "longnet_reference");
    if (!referenceModule)
      return fail("translating the reference variant to LLVM IR failed");
    if (llvm::Linker::linkModules(*llvmModule, std::move(referenceModule)))
      return fail("linking the reference variant failed");
  }
  for (const EntryInfo &entry : *entries) {
    if (llvm::Error error = addPackedWrapper(*llvmModule, entry.name))
      return fail(llvm::toString(std::move(error)));
    if (reference)
      if (llvm::Error error =
              addPackedWrapper(*llvmModule, referenceName(entry.name)))
        return fail(llvm::toString(std::move(error)));
  }
  addManifest(*llvmModule, buildManifest(*entries, cuda));

  auto machine = createHostMachine();
  if (!machine)
    return fail(llvm::toString(machine.takeError()));
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            machine->get());
  if (llvm::Error error = optimize(llvmModule.get()))
    return fail("optimizing the LLVM IR failed: " +
                llvm::toString(std::move(error)));

  if (emit == "llvm") {
    auto out = openOutputFile(outputFile, &error);
    if (!out)
      return fail(error);
    llvmModule->print(out->os(), nullptr);
    out->keep();
    return 0;
  }

  SmallString<128> object;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("longnet-model", "o", object))
    return fail("cannot create a temporary object file: " + ec.message());
  llvm::FileRemover removeObject(object);
  if (llvm::Error error = emitObject(*llvmModule, **machine, object))
    return fail(llvm::toString(std::move(error)));
  if (llvm::Error error =
          linkSharedLibrary(object, outputFile, findRuntimeDir(argv[0])))
    return fail(llvm::toString(std::move(error)));
  return 0;
}
