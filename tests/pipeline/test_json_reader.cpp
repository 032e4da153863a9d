// The JSON reader: values, escapes, numbers kept as written, and one-line errors with line and column.
#include <doctest/doctest.h>

#include <string>

#include "json_reader.h"

using namespace healcap;

namespace {
// The message of the JsonError that parsing `text` (as "t.json") throws; "" when it parses.
std::string parse_error(const std::string& text, size_t max_depth = kJsonMaxDepth) {
  try {
    JsonDocument::parse(text, "t.json", max_depth);
  } catch (const JsonError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a JSON document reads into objects, arrays, strings, numbers, booleans and null, in document order") {
  const JsonDocument doc = JsonDocument::parse(
      R"({"name":"EX01","n":3,"x":[1,-0.5,2e3,true,false,null],"nested":{"a":{"b":[]}},"empty":{}})", "t.json");
  const JsonValue r = doc.root();
  REQUIRE(r.is_object());
  REQUIRE(r.size() == 5);
  CHECK(r.key(0) == "name");
  CHECK(r.key(4) == "empty");
  CHECK(r.find("name")->string() == "EX01");
  CHECK(r.find("n")->number() == 3);
  const JsonValue x = *r.find("x");
  REQUIRE(x.is_array());
  REQUIRE(x.size() == 6);
  CHECK(x[1].number() == -0.5);
  CHECK(x[2].number() == 2000);
  CHECK(x[3].is_bool());
  CHECK(x[3].boolean());
  CHECK_FALSE(x[4].boolean());
  CHECK(x[5].is_null());
  CHECK(r.find("nested")->find("a")->find("b")->is_array());
  CHECK(r.find("nested")->find("a")->find("b")->size() == 0);
  CHECK(r.find("empty")->size() == 0);
  CHECK_FALSE(r.find("missing"));
  CHECK_FALSE(x.find("name"));  // not an object
}

TEST_CASE("numbers keep their text exactly as written beside their double value") {
  const JsonDocument doc = JsonDocument::parse("[0.946530, -0.610479, 0.032643900000000003, -0, 1E-3, 1e-400]", "t.json");
  const JsonValue a = doc.root();
  CHECK(a[0].number_text() == "0.946530");
  CHECK(a[0].number() == doctest::Approx(0.94653));
  CHECK(a[1].number_text() == "-0.610479");
  CHECK(a[2].number_text() == "0.032643900000000003");
  CHECK(a[3].number_text() == "-0");
  CHECK(a[4].number() == doctest::Approx(0.001));
  CHECK(a[5].number() == 0);  // an underflow reads as 0
}

TEST_CASE("string escapes decode, surrogate pairs included, and bytes that are not UTF-8 are kept") {
  const JsonDocument doc = JsonDocument::parse(
      R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u2028", "\ud83d\ude00", "\u0000x", "caf)" "\xe9" R"("])", "t.json");
  const JsonValue a = doc.root();
  CHECK(a[0].string() == "a\"b\\c/d\b\f\n\r\t");
  CHECK(a[1].string() == "\xc3\xa9\xe2\x80\xa8");
  CHECK(a[2].string() == "\xf0\x9f\x98\x80");
  CHECK(a[3].string() == std::string("\0x", 2));
  CHECK(a[4].string() == "caf\xe9");
}

TEST_CASE("values know their line and column, and a document survives being moved") {
  JsonDocument moved = JsonDocument::parse("{\n  \"a\": [1,\n    \"x\"]\n}", "run.json");
  const JsonDocument doc = std::move(moved);
  const JsonValue a = *doc.root().find("a");
  CHECK(a.line() == 2);
  CHECK(a.column() == 8);
  CHECK(a[1].line() == 3);
  CHECK(a[1].column() == 5);
  CHECK(a[1].where() == "run.json:3:5");
  CHECK(doc.root().where() == "run.json:1:1");
}

TEST_CASE("malformed JSON is refused with one line naming the file, line, column and problem") {
  CHECK(parse_error("") == "t.json:1:1: empty document: expected a JSON value");
  CHECK(parse_error("  \n ") == "t.json:2:2: empty document: expected a JSON value");
  CHECK(parse_error("{\"a\":}") == "t.json:1:6: expected a value (object, array, string, number, true, false or null), found '}'");
  CHECK(parse_error("{\"a\" 1}") == "t.json:1:6: expected ':' after the member name, found '1'");
  CHECK(parse_error("{a:1}") == "t.json:1:2: expected a member name in double quotes, found 'a'");
  CHECK(parse_error("[1 2]") == "t.json:1:4: expected ',' or ']' after an element, found '2'");
  CHECK(parse_error("{\"a\":1,}") == "t.json:1:8: expected a member name in double quotes, found '}'");
  CHECK(parse_error("[1,\n 2") == "t.json:2:3: unexpected end of the document: expected ',' or ']'");
  CHECK(parse_error("{\n  \"a\": tru\n}") == "t.json:2:8: expected a value (object, array, string, number, true, false or null), found 't'");
  CHECK(parse_error("{} x") == "t.json:1:4: unexpected text after the JSON value");
  CHECK(parse_error("[\"abc") == "t.json:1:2: unterminated string");
  CHECK(parse_error("[\"a\tb\"]") == "t.json:1:4: control character U+0009 in a string: write it as \\u0009");
  CHECK(parse_error("[\"a\\qb\"]") == "t.json:1:4: bad escape '\\q' in a string");
  CHECK(parse_error("[\"\\u12G4\"]") == "t.json:1:5: bad \\u escape: expected 4 hexadecimal digits");
  CHECK(parse_error("[\"x\\ud83d\"]") == "t.json:1:4: lone high surrogate in a \\u escape (a low surrogate \\uDC00-\\uDFFF must follow)");
  CHECK(parse_error("[\"\\ud83dx\"]") == "t.json:1:3: lone high surrogate in a \\u escape (a low surrogate \\uDC00-\\uDFFF must follow)");
  CHECK(parse_error("[\"\\ude00\"]") == "t.json:1:3: lone low surrogate in a \\u escape (a high surrogate \\uD800-\\uDBFF must come first)");
  const std::string number = "malformed number (JSON numbers are -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?)";
  CHECK(parse_error("[01]") == "t.json:1:2: " + number);
  CHECK(parse_error("[1.]") == "t.json:1:2: " + number);
  CHECK(parse_error("[-]") == "t.json:1:2: " + number);
  CHECK(parse_error("[1e]") == "t.json:1:2: " + number);
  // Cut by the document's end (a truncated file): said so, at the end.
  const std::string cut = "unexpected end of the document: a number cut short (the file is truncated)";
  CHECK(parse_error("[1.") == "t.json:1:4: " + cut);
  CHECK(parse_error("[1e") == "t.json:1:4: " + cut);
  CHECK(parse_error("[0.5, -") == "t.json:1:8: " + cut);
  CHECK(parse_error("[.5]") == "t.json:1:2: expected a value (object, array, string, number, true, false or null), found '.'");
  CHECK(parse_error("[1e999]") == "t.json:1:2: number out of the range of a double");
  CHECK(parse_error("[NaN]") == "t.json:1:2: expected a value (object, array, string, number, true, false or null), found 'N'");
  CHECK(parse_error("\x01") == "t.json:1:1: expected a value (object, array, string, number, true, false or null), found \\x01");
}

TEST_CASE("nesting is limited: the limit itself parses, one level more is refused") {
  const auto nested = [](size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK(parse_error(nested(kJsonMaxDepth)) == "");
  CHECK(parse_error(nested(kJsonMaxDepth + 1)) ==
        "t.json:1:" + std::to_string(kJsonMaxDepth + 1) + ": nesting deeper than " + std::to_string(kJsonMaxDepth) + " levels");
  CHECK(parse_error("{\"a\":{\"b\":{}}}", 2) == "t.json:1:11: nesting deeper than 2 levels");
  CHECK(parse_error(std::string(100000, '[')) != "");  // refused without exhausting the stack
}

TEST_CASE("a UTF-8 byte-order mark before the document is skipped") {
  const JsonDocument doc = JsonDocument::parse("\xEF\xBB\xBF{\"a\":1}", "t.json");
  CHECK(doc.root().find("a")->number() == 1);
}
