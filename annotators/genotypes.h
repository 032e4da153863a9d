// Decodes each sample's call at a matched record: state, effect-allele dosage (GT, DS, HDS or GP), ploidy,
// GT alleles and GQ/DP; and the calls of a gVCF reference block.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <htslib/vcf.h>

#include "site_store.h"

namespace healcap {

enum class DosageMode { kAuto, kGT, kDS, kGP };
enum class DosageSource : uint8_t { kNone, kGT, kDS, kHDS, kGP, kRefBlock };
std::string_view to_string(DosageSource s);

struct DecodeOptions {
  DosageMode mode = DosageMode::kAuto;  // auto: HDS, then DS, then GP, then GT, whichever the record has
  bool pass_only = false;               // FILTER other than PASS or '.' makes every call filtered
  int min_gq = 0, min_dp = 0;           // a sample's GQ/DP below these makes its call filtered (absent: kept)
};

// Per-thread scratch for htslib's FORMAT getters, reused across records.
struct GenotypeBuffer {
  int32_t* gt = nullptr;
  int n_gt = 0;
  float* fl = nullptr;
  int n_fl = 0;
  int32_t* gq = nullptr;
  int n_gq = 0;
  int32_t* dp = nullptr;
  int n_dp = 0;
  GenotypeBuffer() = default;
  GenotypeBuffer(const GenotypeBuffer&) = delete;
  GenotypeBuffer& operator=(const GenotypeBuffer&) = delete;
  ~GenotypeBuffer();
};

// True when a record's FILTER passes --pass-only: PASS, or no filter ('.').
bool passes_filter(const bcf_hdr_t* hdr, bcf1_t* rec);

// True for a gVCF reference block: every ALT is <NON_REF> or <*> (and there is at least one).
bool is_ref_block(const bcf1_t* rec);

// Fills one Call per sample from a variant record (FORMAT unpacked, or unpackable).
// counted_allele >= 0 counts that allele; -1 counts nothing (the record lacks the effect allele, so every
// called sample has dosage 0); -2 counts every non-REF allele. A missing allele anywhere in a GT (./., ./1)
// or a missing DS/GP value makes the call missing. Returns the dosage source used.
DosageSource decode_calls(const bcf_hdr_t* hdr, bcf1_t* rec, int counted_allele, const DecodeOptions& opt,
                          GenotypeBuffer& buf, std::vector<Call>& calls);

// Fills one Call per sample from a reference block: state ref_block, dosage `hom_ref_dosage_per_allele`
// times the call's ploidy (1 when the effect allele is the REF, 0 when it is not, -1 when unknown), keeping
// the block's GQ and DP (MIN_DP when DP is absent). A no-call block (./.) gives missing calls.
void decode_ref_block(const bcf_hdr_t* hdr, bcf1_t* rec, int hom_ref_dosage_per_allele, const DecodeOptions& opt,
                      GenotypeBuffer& buf, std::vector<Call>& calls);

}  // namespace healcap
