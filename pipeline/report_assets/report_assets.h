// The HTML report's inline stylesheet and script (report.css and report.js beside this file, embedded by CMake).
#pragma once

#include <string_view>

namespace healcap {

std::string_view report_css();
std::string_view report_js();

}  // namespace healcap
