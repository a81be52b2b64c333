//===- ModelCompiler.cpp - Model IR to a self-contained shared library ---===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "longnet/Compiler/ModelCompiler.h"
#include "longnet/Dialect/LongNet/IR/LongNetDialect.h"
#include "longnet/Dialect/LongNet/Transforms/Passes.h"
#include "longnet/Pipelines/Pipelines.h"

#include "longnet-runtime/ModelFile.h"

#include "llvm/MC/MCSubtargetInfo.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

using namespace mlir;
using namespace mlir::longnet;

namespace {

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
    StringAttr newName =
        StringAttr::get(module.getContext(), referenceName(entry.name));
    if (failed(SymbolTable::replaceAllSymbolUses(fn, newName, *clone)))
      return nullptr;
    SymbolTable::setSymbolName(fn, newName);
  }
  return clone;
}

LogicalResult runPipeline(ModuleOp module, const ModelCompilerOptions &options,
                          bool reference, StringRef format) {
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  if (options.target == ModelTarget::CUDA && !reference) {
    LowerToNVVMOptions nvvm;
    nvvm.chip = options.chip;
    nvvm.format = format.str();
    nvvm.toolkit = options.cudaToolkit;
    nvvm.keyTile = options.gpuKeyTile;
    buildLowerToNVVMPipeline(pm, nvvm);
  } else {
    LowerToCPUOptions cpu;
    cpu.queryTile = options.cpuQueryTile;
    cpu.keyTile = options.cpuKeyTile;
    cpu.reference = reference;
    buildLowerToCPUPipeline(pm, cpu);
  }
  return pm.run(module);
}

/// `void _longnet_packed_<name>(void **args)` calling the C interface with
/// args[i] as its i-th (pointer) parameter.
llvm::Error addPackedWrapper(llvm::Module &module, StringRef name) {
  llvm::Function *ciface = module.getFunction(("_mlir_ciface_" + name).str());
  if (!ciface)
    return llvm::createStringError("no C interface was generated for @" + name);
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

std::string buildManifest(ArrayRef<EntryInfo> entries,
                          const ModelCompilerOptions &options) {
  std::string text = "longnet-model 1\n";
  text += options.target == ModelTarget::CUDA
              ? "target cuda\nchip " + options.chip + "\n"
              : "target cpu\n";
  for (const EntryInfo &entry : entries) {
    text += "entry " + entry.name + " _longnet_packed_" + entry.name + "\n";
    for (const std::string &arg : entry.args)
      text += "arg " + arg + "\n";
    for (const std::string &result : entry.results)
      text += "result " + result + "\n";
    if (options.reference)
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

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostMachine(StringRef hostCPU) {
  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(llvm::Triple(triple), error);
  if (!target)
    return llvm::createStringError("no LLVM target for " + triple + ": " +
                                   error);
  bool native = hostCPU == "native";
  std::string cpu = native ? llvm::sys::getHostCPUName().str() : hostCPU.str();
  std::string features;
  if (native) {
    llvm::SubtargetFeatures subtarget;
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      subtarget.AddFeature(feature.first(), feature.second);
    features = subtarget.getString();
  }
  // LLVM takes an unknown CPU name with a warning and aborts in code
  // generation ("64-bit code requested on a subtarget that doesn't support
  // it"): check the name first.
  std::unique_ptr<llvm::MCSubtargetInfo> subtargetInfo(
      target->createMCSubtargetInfo(llvm::Triple(triple), "", ""));
  if (!subtargetInfo || !subtargetInfo->isCPUStringValid(cpu))
    return llvm::createStringError(
        "unknown host CPU '" + cpu + "' for " + triple +
        " (give native or an LLVM CPU name such as x86-64-v3 or znver4; "
        "llc -mcpu=help lists them)");
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      llvm::Triple(triple), cpu, features, targetOptions, llvm::Reloc::PIC_,
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

llvm::Error linkSharedLibrary(StringRef object, StringRef output,
                              StringRef libraryDir) {
  SmallString<256> runtime(libraryDir);
  llvm::sys::path::append(runtime, "liblongnet_runtime.so");
  if (!llvm::sys::fs::exists(runtime))
    return llvm::createStringError("cannot find the runtime library '" +
                                   runtime + "' (pass --runtime-dir=DIR)");
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
    return llvm::createStringError("linking '" + output + "' failed" +
                                   (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

} // namespace

void mlir::longnet::registerModelCompilerDependencies(
    DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<LongNetDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  LLVMInitializeNVPTXTarget();
  LLVMInitializeNVPTXTargetInfo();
  LLVMInitializeNVPTXTargetMC();
  LLVMInitializeNVPTXAsmPrinter();
}

LogicalResult mlir::longnet::lowerModel(ModuleOp module,
                                        const ModelCompilerOptions &options,
                                        StringRef kernelFormat) {
  if (failed(collectEntries(module)))
    return failure();
  return runPipeline(module, options, /*reference=*/false, kernelFormat);
}

FailureOr<std::string> mlir::longnet::getKernelPTX(ModuleOp lowered) {
  std::string ptx;
  lowered.walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      ptx += cast<gpu::ObjectAttr>(object).getObject().getValue().str();
  });
  if (ptx.empty())
    return lowered.emitError("the model has no GPU kernels to write as PTX");
  return ptx;
}

llvm::Expected<std::unique_ptr<llvm::Module>>
mlir::longnet::compileModelToLLVMIR(ModuleOp module,
                                    const ModelCompilerOptions &options,
                                    llvm::LLVMContext &context) {
  FailureOr<SmallVector<EntryInfo>> entries = collectEntries(module);
  if (failed(entries))
    return llvm::createStringError("the model has no entry to compile");
  OwningOpRef<ModuleOp> lowered = module.clone();
  if (failed(runPipeline(*lowered, options, /*reference=*/false, "fatbin")))
    return llvm::createStringError("lowering the model failed");
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*lowered, context, "longnet_model");
  if (!llvmModule)
    return llvm::createStringError(
        "translating the lowered model to LLVM IR failed");
  if (options.reference) {
    OwningOpRef<ModuleOp> reference = cloneForReference(module, *entries);
    if (!reference ||
        failed(runPipeline(*reference, options, /*reference=*/true, "")))
      return llvm::createStringError("lowering the reference variant failed");
    std::unique_ptr<llvm::Module> referenceModule =
        translateModuleToLLVMIR(*reference, context, "longnet_reference");
    if (!referenceModule)
      return llvm::createStringError(
          "translating the reference variant to LLVM IR failed");
    if (llvm::Linker::linkModules(*llvmModule, std::move(referenceModule)))
      return llvm::createStringError("linking the reference variant failed");
  }
  for (const EntryInfo &entry : *entries) {
    if (llvm::Error error = addPackedWrapper(*llvmModule, entry.name))
      return std::move(error);
    if (options.reference)
      if (llvm::Error error =
              addPackedWrapper(*llvmModule, referenceName(entry.name)))
        return std::move(error);
  }
  addManifest(*llvmModule, buildManifest(*entries, options));

  auto machine = createHostMachine(options.hostCPU);
  if (!machine)
    return machine.takeError();
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  auto optimize = makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                            machine->get());
  if (llvm::Error error = optimize(llvmModule.get()))
    return llvm::createStringError("optimizing the LLVM IR failed: " +
                                   llvm::toString(std::move(error)));
  return llvmModule;
}

llvm::Error
mlir::longnet::writeSharedLibrary(llvm::Module &llvmModule,
                                  const ModelCompilerOptions &options,
                                  StringRef path) {
  auto machine = createHostMachine(options.hostCPU);
  if (!machine)
    return machine.takeError();
  SmallString<128> object;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("longnet-model", "o", object))
    return llvm::createStringError("cannot create a temporary object file: " +
                                   ec.message());
  llvm::FileRemover removeObject(object);
  if (llvm::Error error = emitObject(llvmModule, **machine, object))
    return error;
  if (llvm::Error error = linkSharedLibrary(object, path, options.runtimeDir))
    return error;
  // The seal lnrt_model_load checks before it opens the library.
  if (std::string error = ::longnet::modelfile::sealModelFile(path.str());
      !error.empty())
    return llvm::createStringError(error);
  return llvm::Error::success();
}

std::string mlir::longnet::getDefaultRuntimeDir(const char *argv0,
                                                void *mainAddress) {
  std::string exe = llvm::sys::fs::getMainExecutable(argv0, mainAddress);
  SmallString<256> dir(llvm::sys::path::parent_path(exe));
  llvm::sys::path::append(dir, "..", "lib");
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  return std::string(dir);
}
