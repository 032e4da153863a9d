// Call decoding: GT, DS (Number=A), HDS (per haplotype), GP (Number=G), FILTER, GQ/DP, reference blocks.
#include "genotypes.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace healcap {

std::string_view to_string(DosageSource s) {
  switch (s) {
    case DosageSource::kNone: return "none";
    case DosageSource::kGT: return "GT";
    case DosageSource::kDS: return "DS";
    case DosageSource::kHDS: return "HDS";
    case DosageSource::kGP: return "GP";
    case DosageSource::kRefBlock: return "ref_block";
  }
  return "none";
}

GenotypeBuffer::~GenotypeBuffer() {
  std::free(gt);
  std::free(fl);
  std::free(gq);
  std::free(dp);
}

bool passes_filter(const bcf_hdr_t* hdr, bcf1_t* rec) {
  bcf_unpack(rec, BCF_UN_FLT);
  if (rec->d.n_flt == 0) return true;
  return bcf_has_filter(const_cast<bcf_hdr_t*>(hdr), rec, const_cast<char*>("PASS")) == 1;
}

bool is_ref_block(const bcf1_t* rec) {
  if (rec->n_allele < 2) return false;
  for (int i = 1; i < rec->n_allele; ++i) {
    const char* a = rec->d.allele[i];
    if (std::strcmp(a, "<NON_REF>") != 0 && std::strcmp(a, "<*>") != 0) return false;
  }
  return true;
}

namespace {

// Reads GT into calls: ploidy, alleles, phase, and the dosage of the counted allele; returns false without GT.
bool read_gt(const bcf_hdr_t* hdr, bcf1_t* rec, int counted_allele, GenotypeBuffer& buf, std::vector<Call>& calls) {
  const int n_samples = static_cast<int>(calls.size());
  const int n = bcf_get_genotypes(hdr, rec, &buf.gt, &buf.n_gt);
  if (n <= 0) return false;
  const int max_ploidy = n / n_samples;
  for (int s = 0; s < n_samples; ++s) {
    const int32_t* a = buf.gt + static_cast<ptrdiff_t>(s) * max_ploidy;
    Call& c = calls[static_cast<size_t>(s)];
    int count = 0, ploidy = 0;
    bool missing = false;
    for (int j = 0; j < max_ploidy && a[j] != bcf_int32_vector_end; ++j) {
      ++ploidy;
      if (j == 1) c.phased = bcf_gt_is_phased(a[j]);
      if (bcf_gt_is_missing(a[j])) {
        missing = true;
        continue;
      }
      const int allele = bcf_gt_allele(a[j]);
      if (j < 2) c.allele[j] = static_cast<int16_t>(allele);
      if (counted_allele >= 0 ? allele == counted_allele : counted_allele == -2 && allele > 0) ++count;
    }
    c.ploidy = static_cast<int8_t>(std::min(ploidy, 127));
    if (!missing && ploidy > 0) {
      c.state = CallState::kCalled;
      c.dosage = static_cast<float>(count);
    }
  }
  return true;
}

// Reads an int FORMAT field (GQ, DP, MIN_DP) into calls; returns false when the record lacks it.
bool read_int(const bcf_hdr_t* hdr, bcf1_t* rec, const char* tag, int32_t*& p, int& np, std::vector<Call>& calls,
              int32_t Call::*field) {
  const int n = bcf_get_format_int32(hdr, rec, tag, &p, &np);
  if (n <= 0) return false;
  const int per = n / static_cast<int>(calls.size());
  for (size_t s = 0; s < calls.size(); ++s) {
    const int32_t v = p[s * static_cast<size_t>(per)];
    if (v != bcf_int32_missing && v != bcf_int32_vector_end) calls[s].*field = v;
  }
  return true;
}

void apply_quality_filters(const DecodeOptions& opt, std::vector<Call>& calls) {
  if (opt.min_gq <= 0 && opt.min_dp <= 0) return;
  for (Call& c : calls) {
    if (c.state != CallState::kCalled && c.state != CallState::kRefBlock) continue;
    if ((opt.min_gq > 0 && c.gq >= 0 && c.gq < opt.min_gq) || (opt.min_dp > 0 && c.dp >= 0 && c.dp < opt.min_dp))
      c.state = CallState::kFiltered;
  }
}

// Dosage of the counted allele from a sample's per-ALT DS values (n_alt of them).
float ds_dosage(const float* ds, int n_alt, int counted_allele, int ploidy) {
  float sum = 0;
  for (int k = 0; k < n_alt; ++k) {
    if (bcf_float_is_missing(ds[k]) || bcf_float_is_vector_end(ds[k])) return -1;
    sum += ds[k];
  }
  if (counted_allele == -2) return sum;
  if (counted_allele == -1) return 0;
  if (counted_allele == 0) return std::max(0.0f, static_cast<float>(ploidy) - sum);
  return ds[counted_allele - 1];
}

// Dosage of the counted allele from a sample's genotype probabilities (n values), haploid or diploid.
float gp_dosage(const float* gp, int n, int n_allele, int counted_allele, int& ploidy) {
  for (int i = 0; i < n; ++i)
    if (bcf_float_is_missing(gp[i])) return -1;
  int m = n;
  while (m > 0 && bcf_float_is_vector_end(gp[m - 1])) --m;
  const auto copies = [&](int a) {
    if (counted_allele >= 0) return a == counted_allele ? 1 : 0;
    return counted_allele == -2 && a > 0 ? 1 : 0;
  };
  float d = 0;
  if (m == n_allele) {  // haploid: one probability per allele
    ploidy = 1;
    for (int a = 0; a < n_allele; ++a) d += gp[a] * static_cast<float>(copies(a));
    return d;
  }
  if (m != n_allele * (n_allele + 1) / 2) return -1;
  ploidy = 2;
  for (int k = 0; k < n_allele; ++k)  // VCF order: genotype (j,k), j <= k, at index k(k+1)/2 + j
    for (int j = 0; j <= k; ++j) d += gp[k * (k + 1) / 2 + j] * static_cast<float>(copies(j) + copies(k));
  return d;
}

}  // namespace

DosageSource decode_calls(const bcf_hdr_t* hdr, bcf1_t* rec, int counted_allele, const DecodeOptions& opt,
                          GenotypeBuffer& buf, std::vector<Call>& calls) {
  const int n_samples = bcf_hdr_nsamples(hdr);
  calls.assign(static_cast<size_t>(n_samples), Call{});
  if (n_samples == 0) return DosageSource::kNone;
  bcf_unpack(rec, BCF_UN_ALL);
  const bool has_gt = read_gt(hdr, rec, counted_allele, buf, calls);
  const auto has = [&](const char* tag) {
    const int id = bcf_hdr_id2int(hdr, BCF_DT_ID, tag);
    return id >= 0 && bcf_get_fmt_id(rec, id) != nullptr;
  };
  DosageSource src = has_gt ? DosageSource::kGT : DosageSource::kNone;
  const int n_alt = rec->n_allele - 1;
  const bool want_float = opt.mode == DosageMode::kDS || opt.mode == DosageMode::kGP || opt.mode == DosageMode::kAuto;
  if (want_float) {
    const bool hds = (opt.mode == DosageMode::kAuto || opt.mode == DosageMode::kDS) && n_alt == 1 && has("HDS");
    const bool ds = !hds && (opt.mode == DosageMode::kAuto || opt.mode == DosageMode::kDS) && has("DS");
    const bool gp = !hds && !ds && (opt.mode == DosageMode::kAuto || opt.mode == DosageMode::kGP) && has("GP");
    if (hds || ds || gp) {
      const int n = bcf_get_format_float(hdr, rec, hds ? "HDS" : ds ? "DS" : "GP", &buf.fl, &buf.n_fl);
      const int per = n > 0 ? n / n_samples : 0;
      for (int s = 0; s < n_samples && per > 0; ++s) {
        Call& c = calls[static_cast<size_t>(s)];
        const float* v = buf.fl + static_cast<ptrdiff_t>(s) * per;
        int ploidy = c.ploidy > 0 ? c.ploidy : 2;
        float d = -1;
        if (hds) {  // one ALT dosage per haplotype
          int h = 0;
          float sum = 0;
          bool bad = false;
          for (; h < per && !bcf_float_is_vector_end(v[h]); ++h) {
            if (bcf_float_is_missing(v[h])) bad = true;
            sum += v[h];
          }
          if (!bad && h > 0) {
            ploidy = h;
            d = counted_allele == 1 || counted_allele == -2 ? sum : counted_allele == 0 ? static_cast<float>(h) - sum : 0;
          }
        } else if (ds) {
          if (per >= n_alt) d = ds_dosage(v, n_alt, counted_allele, ploidy);
        } else {
          d = gp_dosage(v, per, rec->n_allele, counted_allele, ploidy);
        }
        if (d >= 0) {
          c.dosage = d;
          c.ploidy = static_cast<int8_t>(ploidy);
          c.state = CallState::kCalled;
        } else {
          c.dosage = -1;
          c.state = CallState::kMissing;
        }
      }
      src = hds ? DosageSource::kHDS : ds ? DosageSource::kDS : DosageSource::kGP;
    } else if (opt.mode != DosageMode::kAuto) {
      for (Call& c : calls) {  // the asked-for field is absent here: no dosage
        c.dosage = -1;
        c.state = CallState::kMissing;
      }
      src = DosageSource::kNone;
    }
  }
  read_int(hdr, rec, "GQ", buf.gq, buf.n_gq, calls, &Call::gq);
  read_int(hdr, rec, "DP", buf.dp, buf.n_dp, calls, &Call::dp);
  if (opt.pass_only && !passes_filter(hdr, rec)) {
    for (Call& c : calls)
      if (c.state == CallState::kCalled) c.state = CallState::kFiltered;
  } else {
    apply_quality_filters(opt, calls);
  }
  return src;
}

void decode_ref_block(const bcf_hdr_t* hdr, bcf1_t* rec, int hom_ref_dosage_per_allele, const DecodeOptions& opt,
                      GenotypeBuffer& buf, std::vector<Call>& calls) {
  const int n_samples = bcf_hdr_nsamples(hdr);
  calls.assign(static_cast<size_t>(n_samples), Call{});
  if (n_samples == 0) return;
  bcf_unpack(rec, BCF_UN_ALL);
  if (!read_gt(hdr, rec, -2, buf, calls)) return;
  read_int(hdr, rec, "GQ", buf.gq, buf.n_gq, calls, &Call::gq);
  if (!read_int(hdr, rec, "DP", buf.dp, buf.n_dp, calls, &Call::dp))
    read_int(hdr, rec, "MIN_DP", buf.dp, buf.n_dp, calls, &Call::dp);
  for (Call& c : calls) {
    if (c.state != CallState::kCalled) continue;  // a no-call block stays missing
    if (c.dosage > 0) {                           // a non-reference call in a block is not a reference call
      c.state = CallState::kMissing;
      c.dosage = -1;
      continue;
    }
    c.state = CallState::kRefBlock;
    c.dosage = hom_ref_dosage_per_allele < 0 ? -1 : static_cast<float>(hom_ref_dosage_per_allele * c.ploidy);
  }
  if (opt.pass_only && !passes_filter(hdr, rec)) {
    for (Call& c : calls)
      if (c.state == CallState::kRefBlock) c.state = CallState::kFiltered;
  } else {
    apply_quality_filters(opt, calls);
  }
}

}  // namespace healcap
