//===- CudaEntry.cpp - An entry compiled for the GPU and run by lnrt ------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "CudaEntry.h"

#include "Diagnostics.h"

#include "longnet-runtime/lnrt.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"

#include <cstring>

using namespace longnet;
using namespace longnet::run;
using namespace mlir;

namespace {

lnrt_dtype toDType(ElementType type) {
  switch (type) {
  case ElementType::Float16:
    return LNRT_F16;
  case ElementType::BFloat16:
  case ElementType::UInt16:
    return LNRT_BF16;
  case ElementType::Float32:
    return LNRT_F32;
  case ElementType::Float64:
    return LNRT_F64;
  }
  return LNRT_F32;
}

lnrt_tensor describe(const HostTensor &tensor, void *data, lnrt_memory memory) {
  lnrt_tensor t{};
  t.data = data;
  t.dtype = toDType(tensor.getElementType());
  t.rank = int32_t(tensor.getShape().size());
  for (auto [i, dim] : llvm::enumerate(tensor.getShape()))
    t.shape[i] = dim;
  t.memory = memory;
  return t;
}

/// The runtime's status as an llvm::Error (success when LNRT_SUCCESS).
llvm::Error check(lnrt_status status) {
  if (status == LNRT_SUCCESS)
    return llvm::Error::success();
  return makeError(lnrt_get_last_error());
}

/// Device buffers freed on scope exit.
struct DeviceBuffers {
  llvm::SmallVector<void *> pointers;
  ~DeviceBuffers() {
    for (void *pointer : pointers)
      lnrt_free(pointer);
  }
};

} // namespace

llvm::Expected<std::unique_ptr<CudaEntry>>
CudaEntry::compile(ModuleOp module, const EntrySignature &signature,
                   StringRef entryName,
                   const mlir::longnet::ModelCompilerOptions &options) {
  OwningOpRef<ModuleOp> clone = module.clone();
  for (auto fn : clone->getOps<func::FuncOp>())
    if (fn.getSymName() != entryName && fn.isPublic() && !fn.isExternal())
      fn.setPrivate();
  llvm::LLVMContext context;
  auto llvmModule =
      mlir::longnet::compileModelToLLVMIR(*clone, options, context);
  if (!llvmModule)
    return makeError("compiling the module for cuda failed: " +
                     llvm::toString(llvmModule.takeError()));
  llvm::SmallString<128> path;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("longnet-run", "so", path))
    return makeError("cannot create a temporary library: " + ec.message());
  if (llvm::Error error =
          mlir::longnet::writeSharedLibrary(**llvmModule, options, path)) {
    llvm::sys::fs::remove(path);
    return std::move(error);
  }
  lnrt_model *model = nullptr;
  if (lnrt_model_load(path.c_str(), &model) != LNRT_SUCCESS) {
    std::string message = lnrt_get_last_error();
    llvm::sys::fs::remove(path);
    return makeError(message);
  }
  return std::unique_ptr<CudaEntry>(
      new CudaEntry(model, signature, entryName, std::string(path)));
}

CudaEntry::~CudaEntry() {
  lnrt_model_unload(model);
  llvm::sys::fs::remove(libraryPath);
}

llvm::Expected<SmallVector<HostTensor>>
CudaEntry::call(ArrayRef<HostTensor> inputs) {
  SmallVector<lnrt_tensor> args;
  for (const HostTensor &input : inputs)
    args.push_back(
        describe(input, const_cast<void *>(input.getData()), LNRT_MEMORY_HOST));
  SmallVector<HostTensor> results;
  SmallVector<lnrt_tensor> outs;
  for (const TensorSpec &spec : signature.results) {
    // Dynamic result dimensions: the runtime allocates (data == NULL) and
    // fills in the shape; static ones are preallocated here.
    outs.push_back(lnrt_tensor{});
    outs.back().memory = LNRT_MEMORY_HOST;
    outs.back().dtype = toDType(spec.elementType);
  }
  if (llvm::Error error =
          check(lnrt_model_call(model, entryName.c_str(), args.data(),
                                args.size(), outs.data(), outs.size(),
                                /*stream=*/nullptr)))
    return std::move(error);
  for (auto [spec, out] : llvm::zip(signature.results, outs)) {
    HostTensor result(spec.elementType,
                      llvm::ArrayRef<int64_t>(out.shape, out.rank));
    if (result.getSizeInBytes())
      std::memcpy(result.getData(), out.data, result.getSizeInBytes());
    lnrt_tensor_free(&out);
    results.push_back(std::move(result));
  }
  return results;
}

llvm::Expected<SmallVector<double>>
CudaEntry::benchmark(ArrayRef<HostTensor> inputs, unsigned runs) {
  DeviceBuffers buffers;
  SmallVector<lnrt_tensor> args;
  for (const HostTensor &input : inputs) {
    void *device = nullptr;
    if (llvm::Error error = check(lnrt_malloc(&device, input.getSizeInBytes())))
      return std::move(error);
    buffers.pointers.push_back(device);
    if (llvm::Error error = check(
            lnrt_memcpy_htod(device, input.getData(), input.getSizeInBytes())))
      return std::move(error);
    args.push_back(describe(input, device, LNRT_MEMORY_DEVICE));
  }
  lnrt_stream stream = nullptr;
  lnrt_event start = nullptr, stop = nullptr;
  if (llvm::Error error = check(lnrt_stream_create(&stream)))
    return std::move(error);
  auto cleanup = llvm::make_scope_exit([&] {
    if (start)
      lnrt_event_destroy(start);
    if (stop)
      lnrt_event_destroy(stop);
    lnrt_stream_destroy(stream);
  });
  if (llvm::Error error = check(lnrt_event_create(&start)))
    return std::move(error);
  if (llvm::Error error = check(lnrt_event_create(&stop)))
    return std::move(error);
  SmallVector<double> times;
  for (unsigned run = 0; run <= runs; ++run) {
    SmallVector<lnrt_tensor> outs(signature.results.size(), lnrt_tensor{});
    for (lnrt_tensor &out : outs)
      out.memory = LNRT_MEMORY_DEVICE;
    for (auto [spec, out] : llvm::zip(signature.results, outs))
      out.dtype = toDType(spec.elementType);
    if (llvm::Error error = check(lnrt_event_record(start, stream)))
      return std::move(error);
    if (llvm::Error error = check(
            lnrt_model_call(model, entryName.c_str(), args.data(), args.size(),
                            outs.data(), outs.size(), stream)))
      return std::move(error);
    if (llvm::Error error = check(lnrt_event_record(stop, stream)))
      return std::move(error);
    if (llvm::Error error = check(lnrt_event_synchronize(stop)))
      return std::move(error);
    float ms = 0;
    if (llvm::Error error = check(lnrt_event_elapsed_ms(&ms, start, stop)))
      return std::move(error);
    for (lnrt_tensor &out : outs)
      lnrt_tensor_free(&out);
    if (run > 0) // Run 0 is the warm-up.
      times.push_back(ms * 1e-3);
  }
  return times;
}
