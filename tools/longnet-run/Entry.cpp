//===- Entry.cpp - The function longnet-run calls and its inputs ----------===//
//
// Part of the longnet-mlir project.
//
//===----------------------------------------------------------------------===//

#include "Entry.h"
#include "Diagnostics.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace longnet;
using namespace longnet::run;
using namespace mlir;

namespace {

std::optional<ElementType> getElementType(Type type) {
  if (type.isF16())
    return ElementType::Float16;
  if (type.isBF16())
    return ElementType::BFloat16;
  if (type.isF32())
    return ElementType::Float32;
  if (type.isF64())
    return ElementType::Float64;
  return std::nullopt;
}

std::string printType(Type type) {
  std::string text;
  llvm::raw_string_ostream(text) << type;
  return text;
}

/// `kind` is "argument" or "result".
llvm::Expected<TensorSpec> analyzeType(Type type, StringRef kind,
                                       unsigned index, func::FuncOp entry) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  std::optional<ElementType> elementType =
      tensorType ? getElementType(tensorType.getElementType()) : std::nullopt;
  if (!elementType)
    return makeError(kind + " " + llvm::Twine(index) + " of @" +
                     entry.getSymName() + " has type " + printType(type) +
                     "; longnet-run passes ranked tensors of f16, bf16, f32 "
                     "or f64");
  return TensorSpec{*elementType, llvm::to_vector(tensorType.getShape()),
                    printType(type)};
}

bool acceptsDType(ElementType expected, npy::DType actual) {
  return actual == expected ||
         (expected == ElementType::BFloat16 && actual == npy::DType::UInt16);
}

/// The descr(s) a file may have for an argument of `type`, for messages.
std::string describeAcceptedDescr(ElementType type) {
  if (type == ElementType::BFloat16)
    return "'<u2', '<V2' or 'bfloat16'";
  return std::string("'") + npy::descrOf(type) + "'";
}

/// Parses "1x4096x4x64" ("" is a 0-d shape).
std::optional<SmallVector<int64_t>> parseShape(StringRef text) {
  SmallVector<int64_t> shape;
  if (text.empty())
    return shape;
  SmallVector<StringRef> parts;
  text.split(parts, 'x');
  for (StringRef part : parts) {
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return std::nullopt;
    shape.push_back(dim);
  }
  return shape;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  return npy::formatShape(std::vector<int64_t>(shape.begin(), shape.end()));
}

/// The static shape of `spec`, or an error asking for --shapes.
llvm::Expected<SmallVector<int64_t>> getStaticShape(const TensorSpec &spec,
                                                    unsigned index) {
  if (llvm::is_contained(spec.shape, ShapedType::kDynamic))
    return makeError("argument " + llvm::Twine(index) + " is " + spec.typeText +
                     " with a dynamic dimension: give every argument's "
                     "shape with --shapes (e.g. --shapes=1x4096x4x64,...) or "
                     "pass --inputs");
  return spec.shape;
}

llvm::Expected<SmallVector<int64_t>>
getGivenShape(const TensorSpec &spec, unsigned index, StringRef text) {
  std::optional<SmallVector<int64_t>> shape = parseShape(text);
  if (!shape)
    return makeError("--shapes entry " + llvm::Twine(index) + " '" + text +
                     "' is not a shape like 1x4096x4x64");
  if (!spec.accepts(*shape))
    return makeError("argument " + llvm::Twine(index) + ": expected " +
                     spec.typeText + ", --shapes gives " + formatShape(*shape));
  return *shape;
}

} // namespace

bool TensorSpec::accepts(ArrayRef<int64_t> concrete) const {
  if (concrete.size() != shape.size())
    return false;
  for (auto [expected, actual] : llvm::zip_equal(shape, concrete))
    if (expected != ShapedType::kDynamic && expected != actual)
      return false;
  return true;
}

llvm::Expected<func::FuncOp> longnet::run::lookupEntry(ModuleOp module,
                                                       StringRef name) {
  auto entry = module.lookupSymbol<func::FuncOp>(name);
  if (!entry) {
    SmallVector<std::string> names;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isDeclaration())
        names.push_back(("@" + func.getSymName()).str());
    return makeError("no function @" + name + " in the module (functions: " +
                     (names.empty() ? "none" : llvm::join(names, ", ")) +
                     "); choose one with --entry");
  }
  if (entry.isDeclaration())
    return makeError("@" + name + " is a declaration without a body");
  if (entry.isPrivate())
    return makeError("@" + name + " is private; the entry must be public");
  return entry;
}

llvm::Expected<EntrySignature>
longnet::run::analyzeSignature(func::FuncOp entry) {
  EntrySignature signature;
  for (auto [index, type] : llvm::enumerate(entry.getArgumentTypes())) {
    llvm::Expected<TensorSpec> spec =
        analyzeType(type, "argument", index, entry);
    if (!spec)
      return spec.takeError();
    signature.arguments.push_back(std::move(*spec));
  }
  for (auto [index, type] : llvm::enumerate(entry.getResultTypes())) {
    llvm::Expected<TensorSpec> spec = analyzeType(type, "result", index, entry);
    if (!spec)
      return spec.takeError();
    signature.results.push_back(std::move(*spec));
  }
  return signature;
}

llvm::Expected<SmallVector<HostTensor>>
longnet::run::readInputs(const EntrySignature &signature,
                         ArrayRef<std::string> paths) {
  if (paths.size() != signature.arguments.size())
    return makeError("the entry takes " +
                     llvm::Twine(signature.arguments.size()) +
                     " arguments but --inputs gives " +
                     llvm::Twine(paths.size()) + " files");
  SmallVector<HostTensor> inputs;
  for (auto [index, spec] : llvm::enumerate(signature.arguments)) {
    const std::string &path = paths[index];
    std::string argument = ("argument " + llvm::Twine(index)).str();
    npy::Array array;
    if (std::string error = npy::readFile(path, array); !error.empty())
      return makeError(argument + ": " + error);
    if (!acceptsDType(spec.elementType, array.dtype))
      return makeError(argument + " ('" + path + "'): expected " +
                       spec.typeText + " (.npy dtype " +
                       describeAcceptedDescr(spec.elementType) + "), got a " +
                       npy::dtypeName(array.dtype) + " array");
    if (!spec.accepts(array.shape))
      return makeError(argument + " ('" + path + "'): expected " +
                       spec.typeText + ", got shape (" +
                       npy::formatShape(array.shape) + ")");
    inputs.push_back(fromNpy(array, spec.elementType));
  }
  return inputs;
}

llvm::Expected<SmallVector<HostTensor>>
longnet::run::makeRandomInputs(const EntrySignature &signature,
                               ArrayRef<std::string> shapes,
                               const RandomInit &init) {
  size_t numArguments = signature.arguments.size();
  if (!shapes.empty() && shapes.size() != numArguments)
    return makeError("the entry takes " + llvm::Twine(numArguments) +
                     " arguments but --shapes gives " +
                     llvm::Twine(shapes.size()) + " shapes");
  if (init.scales.size() != 1 && init.scales.size() != numArguments)
    return makeError("the entry takes " + llvm::Twine(numArguments) +
                     " arguments but --init-scale gives " +
                     llvm::Twine(init.scales.size()) +
                     " scales (give one, or one per argument)");
  SmallVector<HostTensor> inputs;
  for (auto [index, spec] : llvm::enumerate(signature.arguments)) {
    llvm::Expected<SmallVector<int64_t>> shape =
        shapes.empty() ? getStaticShape(spec, index)
                       : getGivenShape(spec, index, shapes[index]);
    if (!shape)
      return shape.takeError();
    llvm::Expected<HostTensor> tensor =
        HostTensor::allocate(spec.elementType, *shape);
    if (!tensor)
      return makeError("argument " + llvm::Twine(index) + ": " +
                       llvm::toString(tensor.takeError()));
    double scale = init.scales[init.scales.size() == 1 ? 0 : index];
    fillRandom(*tensor, init.kind, scale, init.seed, index);
    inputs.push_back(std::move(*tensor));
  }
  return inputs;
}
