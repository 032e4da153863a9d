// A small JSON reader: parses a whole document (RFC 8259) into an immutable tree that `healcap report` reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "errors.h"

namespace healcap {

// A document that is not JSON. The message is one line: "ORIGIN:LINE:COLUMN: problem" (1-based; the column
// counts bytes).
class JsonError : public DataError {
 public:
  using DataError::DataError;
};

// Nesting beyond this is refused (the recursion of the parser is bounded by it).
constexpr size_t kJsonMaxDepth = 256;

struct JsonTree;

// A handle to one value of a JsonDocument; valid while the document lives (moving the document keeps it valid).
// Accessors for another kind than the value's are broken invariants: check kind() first.
class JsonValue {
 public:
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Kind kind() const;
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_number() const { return kind() == Kind::kNumber; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }
  bool is_bool() const { return kind() == Kind::kBool; }

  bool boolean() const;                  // kBool
  double number() const;                 // kNumber: the nearest double
  std::string_view number_text() const;  // kNumber: the number exactly as written in the document
  std::string_view string() const;       // kString: the decoded text (UTF-8; bytes that were not UTF-8 kept as they were)
  // kArray: the number of elements; kObject: the number of members (0 for the other kinds).
  size_t size() const;
  // kArray: element i; kObject: the value of member i (i < size()).
  JsonValue operator[](size_t i) const;
  // kObject: the key of member i.
  std::string_view key(size_t i) const;
  // kObject: the value of the first member named `k`; nullopt when there is none (or this is not an object).
  std::optional<JsonValue> find(std::string_view k) const;

  // Where the value starts in the document: 1-based line and byte column, and "ORIGIN:LINE:COLUMN".
  uint32_t line() const;
  uint32_t column() const;
  std::string where() const;
  // The kind as a word, for messages: "null", "true or false", "a number", "a string", "an array", "an object".
  static const char* kind_name(Kind k);

 private:
  friend class JsonDocument;
  JsonValue(const JsonTree* t, uint32_t i) : tree_(t), index_(i) {}
  const JsonTree* tree_;
  uint32_t index_;
};

class JsonDocument {
 public:
  // Parses `text` whole; `origin` names it in messages (a path). Throws JsonError "ORIGIN:LINE:COLUMN: problem"
  // on the first problem: a syntax error, a control character in a string, a bad escape or lone surrogate, a
  // number that is malformed or out of a double's range, nesting deeper than `max_depth`, text after the value.
  static JsonDocument parse(std::string_view text, std::string origin, size_t max_depth = kJsonMaxDepth);

  JsonDocument(JsonDocument&&) noexcept;
  JsonDocument& operator=(JsonDocument&&) noexcept;
  ~JsonDocument();

  JsonValue root() const;
  const std::string& origin() const;

 private:
  explicit JsonDocument(std::unique_ptr<JsonTree> t);
  std::unique_ptr<JsonTree> tree_;
};

}  // namespace healcap
