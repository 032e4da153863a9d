// GRCh37 and GRCh38 primary-chromosome lengths.
#include "assembly.h"

#include <array>

namespace healcap {

namespace {
struct ContigLength {
  std::string_view name;
  int64_t grch37, grch38;
};
constexpr std::array<ContigLength, 25> kLengths = {{
    {"1", 249250621, 248956422},  {"2", 243199373, 242193529},  {"3", 198022430, 198295559},
    {"4", 191154276, 190214555},  {"5", 180915260, 181538259},  {"6", 171115067, 170805979},
    {"7", 159138663, 159345973},  {"8", 146364022, 145138636},  {"9", 141213431, 138394717},
    {"10", 135534747, 133797422}, {"11", 135006516, 135086622}, {"12", 133851895, 133275309},
    {"13", 115169878, 114364328}, {"14", 107349540, 107043718}, {"15", 102531392, 101991189},
    {"16", 90354753, 90338345},   {"17", 81195210, 83257441},   {"18", 78077248, 80373285},
    {"19", 59128983, 58617616},   {"20", 63025520, 64444167},   {"21", 48129895, 46709983},
    {"22", 51304566, 50818468},   {"X", 155270560, 156040895},  {"Y", 59373566, 57227415},
    {"MT", 16569, 16569},
}};
}  // namespace

std::optional<int64_t> assembly_length(Build build, std::string_view c) {
  for (const auto& l : kLengths)
    if (l.name == c) return build == Build::kGRCh37 ? l.grch37 : l.grch38;
  return std::nullopt;
}

}  // namespace healcap
