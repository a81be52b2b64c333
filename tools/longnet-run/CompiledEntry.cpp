//===- CompiledEntry.cpp - An entry lowered and JIT-compiled --------------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "CompiledEntry.h"

#include "Diagnostics.h"

#include "longnet-runtime/ReferenceABI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/FileSystem.h"

#include <chrono>
#include <cstring>

using namespace longnet;
using namespace longnet::run;
using namespace mlir;

namespace {

/// What memref.get_global of a constant stores as the allocated pointer.
constexpr uintptr_t kDeadBeef = 0xdeadbeef;

/// Words of a rank-`rank` strided memref descriptor: allocated and aligned
/// pointers, offset, sizes, strides.
size_t descriptorWords(size_t rank) { return 3 + 2 * rank; }

/// The descriptor of a contiguous row-major buffer.
SmallVector<int64_t> makeDescriptor(void *data, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> words = {int64_t(reinterpret_cast<uintptr_t>(data)),
                                int64_t(reinterpret_cast<uintptr_t>(data)), 0};
  words.append(shape.begin(), shape.end());
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t dim = int64_t(shape.size()) - 2; dim >= 0; --dim)
    strides[dim] = strides[dim + 1] * shape[dim + 1];
  words.append(strides.begin(), strides.end());
  return words;
}

/// A view of one returned descriptor.
struct ReturnedMemRef {
  void *allocated;
  const uint8_t *aligned;
  int64_t offset;
  ArrayRef<int64_t> sizes;
  ArrayRef<int64_t> strides;

  ReturnedMemRef(ArrayRef<int64_t> words, size_t rank)
      : allocated(reinterpret_cast<void *>(uintptr_t(words[0]))),
        aligned(reinterpret_cast<const uint8_t *>(uintptr_t(words[1]))),
        offset(words[2]), sizes(words.slice(3, rank)),
        strides(words.slice(3 + rank, rank)) {}

  bool isContiguous() const {
    int64_t expected = 1;
    for (int64_t dim = int64_t(sizes.size()) - 1; dim >= 0; --dim) {
      if (sizes[dim] != 1 && strides[dim] != expected)
        return false;
      expected *= sizes[dim];
    }
    return true;
  }
};

/// Copies the elements of `memref` into `tensor` (same shape) in row-major
/// order, following the descriptor's offset and strides.
void copyOut(const ReturnedMemRef &memref, HostTensor &tensor) {
  size_t elementSize = npy::elementSize(tensor.getElementType());
  uint8_t *destination = static_cast<uint8_t *>(tensor.getData());
  const uint8_t *base = memref.aligned + memref.offset * int64_t(elementSize);
  if (memref.isContiguous()) {
    if (tensor.getSizeInBytes())
      std::memcpy(destination, base, tensor.getSizeInBytes());
    return;
  }
  size_t rank = memref.sizes.size();
  SmallVector<int64_t> index(rank, 0);
  int64_t position = 0;
  for (int64_t i = 0; i < tensor.getNumElements(); ++i) {
    std::memcpy(destination + i * elementSize, base + position * elementSize,
                elementSize);
    for (int64_t dim = int64_t(rank) - 1; dim >= 0; --dim) {
      position += memref.strides[dim];
      if (++index[dim] < memref.sizes[dim])
        break;
      position -= memref.strides[dim] * memref.sizes[dim];
      index[dim] = 0;
    }
  }
}

/// Empty when the returned sizes fit the result type, else the message.
std::string describeReturnedShapeError(const ReturnedMemRef &memref,
                                       const TensorSpec &spec, size_t index) {
  if (spec.accepts(memref.sizes) &&
      llvm::all_of(memref.sizes, [](int64_t size) { return size >= 0; }))
    return "";
  return ("result " + llvm::Twine(index) +
          ": the compiled function returned shape (" +
          npy::formatShape(
              std::vector<int64_t>(memref.sizes.begin(), memref.sizes.end())) +
          ") for " + spec.typeText)
      .str();
}

/// The reference ABI, resolvable by the JIT without dynamic export.
llvm::orc::SymbolMap runtimeSymbols(llvm::orc::MangleAndInterner interner) {
  llvm::orc::SymbolMap symbols;
  symbols[interner("_mlir_ciface_longnet_reference_dilated_attention")] = {
      llvm::orc::ExecutorAddr::fromPtr(
          &_mlir_ciface_longnet_reference_dilated_attention),
      llvm::JITSymbolFlags::Exported};
  symbols[interner(
      "_mlir_ciface_longnet_reference_dilated_attention_backward")] = {
      llvm::orc::ExecutorAddr::fromPtr(
          &_mlir_ciface_longnet_reference_dilated_attention_backward),
      llvm::JITSymbolFlags::Exported};
  return symbols;
}

llvm::Error lowerToLLVM(ModuleOp module, StringRef entryName,
                        const mlir::longnet::LowerToCPUOptions &options,
                        llvm::StringRef what) {
  // Compile only what the entry needs: other public functions become private
  // and symbol-dce drops those it does not call.
  for (auto fn : module.getOps<func::FuncOp>())
    if (fn.getSymName() != entryName && fn.isPublic() && !fn.isExternal())
      fn.setPrivate();
  FirstErrorCollector errors(module.getContext());
  PassManager pm = PassManager::on<ModuleOp>(module.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return errors.takeError("invalid pass manager options");
  pm.addPass(createSymbolDCEPass());
  mlir::longnet::buildLowerToCPUPipeline(pm, options);
  if (failed(pm.run(module)))
    return errors.takeError("lowering " + what + " failed");
  return llvm::Error::success();
}

llvm::Error checkLibrariesExist(ArrayRef<std::string> libraries) {
  for (const std::string &library : libraries)
    if (!llvm::sys::fs::exists(library))
      return makeError("cannot load '" + library +
                       "' into the JIT: no such file");
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::unique_ptr<CompiledEntry>>
CompiledEntry::compile(ModuleOp module, const EntrySignature &signature,
                       StringRef entryName,
                       const mlir::longnet::LowerToCPUOptions &options,
                       ArrayRef<std::string> sharedLibraries, StringRef what) {
  OwningOpRef<ModuleOp> lowered = module.clone();
  if (llvm::Error error = lowerToLLVM(*lowered, entryName, options, what))
    return std::move(error);
  if (llvm::Error error = checkLibrariesExist(sharedLibraries))
    return std::move(error);

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto targetMachine = builder->createTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();

  SmallVector<StringRef> libraries(sharedLibraries.begin(),
                                   sharedLibraries.end());
  auto transformer = makeOptimizingTransformer(
      /*optLevel=*/3, /*sizeLevel=*/0, targetMachine->get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  engineOptions.sharedLibPaths = libraries;
  FirstErrorCollector errors(module.getContext());
  auto engine = ExecutionEngine::create(*lowered, engineOptions,
                                        std::move(*targetMachine));
  if (!engine)
    return errors.takeError("JIT-compiling " + what +
                            " failed: " + llvm::toString(engine.takeError()));
  (*engine)->registerSymbols(runtimeSymbols);
  (*engine)->initialize();

  std::unique_ptr<CompiledEntry> compiled(
      new CompiledEntry(std::move(*engine), signature, entryName));
  // Look the entry up now so that code generation is not timed by call().
  if (auto function = compiled->engine->lookupPacked(compiled->interfaceName);
      !function)
    return makeError("JIT-compiling " + what +
                     " failed: " + llvm::toString(function.takeError()));
  return compiled;
}

llvm::Expected<SmallVector<HostTensor>>
CompiledEntry::call(ArrayRef<HostTensor> inputs, double *seconds) {
  // Descriptors of private copies of the inputs.
  SmallVector<HostTensor> arguments;
  SmallVector<SmallVector<int64_t>> argumentDescriptors;
  for (const HostTensor &input : inputs) {
    arguments.push_back(input.clone());
    argumentDescriptors.push_back(
        makeDescriptor(arguments.back().getData(), input.getShape()));
  }

  size_t resultWords = 0;
  for (const TensorSpec &spec : signature.results)
    resultWords += descriptorWords(spec.shape.size());
  SmallVector<int64_t> resultStorage(std::max<size_t>(resultWords, 1), 0);

  // The packed interface takes a pointer to each argument of the C
  // interface function: the results struct pointer first, when there are
  // results, then one descriptor pointer per input.
  void *resultPointer = resultStorage.data();
  SmallVector<void *> descriptorPointers;
  for (SmallVector<int64_t> &descriptor : argumentDescriptors)
    descriptorPointers.push_back(descriptor.data());
  SmallVector<void *> packed;
  if (!signature.results.empty())
    packed.push_back(&resultPointer);
  for (void *&pointer : descriptorPointers)
    packed.push_back(&pointer);

  auto start = std::chrono::steady_clock::now();
  if (llvm::Error error = engine->invokePacked(interfaceName, packed))
    return std::move(error);
  if (seconds)
    *seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();

  // Copy the results out, then free each buffer the callee allocated (once:
  // results may share one; never an input's or a global's).
  SmallVector<HostTensor> results;
  llvm::SmallPtrSet<void *, 8> notOwned;
  for (HostTensor &argument : arguments)
    notOwned.insert(argument.getData());
  notOwned.insert(reinterpret_cast<void *>(kDeadBeef));
  llvm::SmallPtrSet<void *, 8> toFree;
  size_t word = 0;
  std::string firstError;
  for (auto [index, spec] : llvm::enumerate(signature.results)) {
    size_t rank = spec.shape.size();
    ReturnedMemRef memref(
        ArrayRef<int64_t>(resultStorage).slice(word, 3 + 2 * rank), rank);
    word += descriptorWords(rank);
    if (memref.allocated && !notOwned.count(memref.allocated))
      toFree.insert(memref.allocated);
    if (!firstError.empty())
      continue;
    firstError = describeReturnedShapeError(memref, spec, index);
    if (!firstError.empty())
      continue;
    HostTensor result(spec.elementType, memref.sizes);
    copyOut(memref, result);
    results.push_back(std::move(result));
  }
  for (void *pointer : toFree)
    std::free(pointer);
  if (!firstError.empty())
    return makeError(firstError);
  return results;
}
