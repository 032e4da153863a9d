/* The floor of a VCF.gz -> VCF.gz pass: inflate every BGZF block of a file with libdeflate on N threads (CRC
 * checked) and deflate the inflated bytes again at level L into BGZF-sized blocks (CRC computed, as a BGZF
 * writer must), output discarded. Nothing is parsed, nothing is written: no program that reads every byte of
 * the input and writes every byte of the output at that level can be faster on those threads.
 *
 *   gcc -O2 -o floor benchmarks/inflate_deflate_floor.c -ldeflate -lpthread
 *   ./floor FILE.vcf.gz THREADS LEVEL      LEVEL 0-9; -1: inflate only (the streaming scan's floor)
 *
 * Prints one line to stdout: blocks, compressed, inflated and deflated bytes, and the wall time.
 */
#include <libdeflate.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { kBlockText = 0xff00, kMaxBlock = 65536, kChunk = 64 };

static const uint8_t* data;   /* the whole file */
static size_t* starts;        /* each block's offset; starts[n] = end */
static size_t n_blocks;
static int level;             /* BGZF level 0-9, -1: inflate only */
static const int kLibdeflateLevel[10] = {0, 1, 2, 3, 5, 6, 7, 8, 10, 12};
static atomic_size_t next_block;
static atomic_ullong total_in, total_out;
static atomic_int failed;

static uint32_t le32(const uint8_t* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void* worker(void* arg) {
  (void)arg;
  struct libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  struct libdeflate_compressor* c = level >= 0 ? libdeflate_alloc_compressor(kLibdeflateLevel[level]) : NULL;
  uint8_t* text = malloc(kMaxBlock);
  uint8_t* out = malloc(2 * kMaxBlock);
  unsigned long long in_bytes = 0, out_bytes = 0;
  if (!d || (level >= 0 && !c) || !text || !out) {
    atomic_store(&failed, 1);
    return NULL;
  }
  for (;;) {
    size_t b = atomic_fetch_add(&next_block, kChunk);
    if (b >= n_blocks) break;
    size_t e = b + kChunk < n_blocks ? b + kChunk : n_blocks;
    for (; b < e; ++b) {
      const uint8_t* blk = data + starts[b];
      size_t size = starts[b + 1] - starts[b];
      uint32_t isize = le32(blk + size - 4), crc = le32(blk + size - 8);
      size_t got = 0;
      if (isize == 0) continue;
      if (isize > kMaxBlock || libdeflate_deflate_decompress(d, blk + 18, size - 26, text, isize, &got) != LIBDEFLATE_SUCCESS ||
          got != isize || libdeflate_crc32(0, text, isize) != crc) {
        atomic_store(&failed, 1);
        break;
      }
      in_bytes += isize;
      if (!c) continue;
      /* Into BGZF-sized blocks of at most 0xff00 bytes of text, as htslib's writer cuts them. */
      for (size_t at = 0; at < isize; at += kBlockText) {
        size_t n = isize - at < kBlockText ? isize - at : kBlockText;
        size_t z = libdeflate_deflate_compress(c, text + at, n, out + 18, 2 * kMaxBlock - 26);
        uint32_t crc2 = libdeflate_crc32(0, text + at, n);
        out[0] = (uint8_t)crc2; /* keep the CRC live */
        out_bytes += z + 26;
      }
    }
  }
  atomic_fetch_add(&total_in, in_bytes);
  atomic_fetch_add(&total_out, out_bytes);
  libdeflate_free_decompressor(d);
  if (c) libdeflate_free_compressor(c);
  free(text);
  free(out);
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s FILE.gz THREADS LEVEL   (LEVEL: BGZF level 0-9; -1: inflate only)\n", argv[0]);
    return 2;
  }
  int threads = atoi(argv[2]);
  level = atoi(argv[3]);
  if (threads < 1 || threads > 1024 || level < -1 || level > 9) {
    fprintf(stderr, "%s: THREADS must be 1..1024 and LEVEL -1..9\n", argv[0]);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  FILE* f = fopen(argv[1], "rb");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  size_t cap = 1 << 24, len = 0;
  uint8_t* buf = malloc(cap);
  for (;;) {
    if (len == cap) buf = realloc(buf, cap *= 2);
    size_t got = fread(buf + len, 1, cap - len, f);
    if (got == 0) break;
    len += got;
  }
  fclose(f);
  data = buf;
  size_t cap_s = 1024;
  starts = malloc(cap_s * sizeof *starts);
  size_t at = 0;
  while (at < len) {
    const uint8_t* h = data + at;
    if (len - at < 26 || h[0] != 31 || h[1] != 139 || h[3] != 4 || h[12] != 66 || h[13] != 67) {
      fprintf(stderr, "%s: not a BGZF block at offset %zu\n", argv[1], at);
      return 1;
    }
    size_t size = (size_t)(h[16] | h[17] << 8) + 1;
    if (at + size > len) {
      fprintf(stderr, "%s: truncated BGZF block at offset %zu\n", argv[1], at);
      return 1;
    }
    if (n_blocks + 1 >= cap_s) starts = realloc(starts, (cap_s *= 2) * sizeof *starts);
    starts[n_blocks++] = at;
    at += size;
  }
  starts[n_blocks] = len;
  pthread_t* tid = malloc(sizeof *tid * (size_t)threads);
  for (int i = 0; i < threads; ++i) pthread_create(&tid[i], NULL, worker, NULL);
  for (int i = 0; i < threads; ++i) pthread_join(tid[i], NULL);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (atomic_load(&failed)) {
    fprintf(stderr, "%s: a block failed to inflate (or CRC mismatch)\n", argv[1]);
    return 1;
  }
  printf("blocks %zu compressed %zu inflated %llu deflated %llu level %d (libdeflate %d) threads %d wall %.3f s\n",
         n_blocks, len, (unsigned long long)atomic_load(&total_in), (unsigned long long)atomic_load(&total_out), level,
         level >= 0 ? kLibdeflateLevel[level] : -1, threads,
         (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  free(tid);
  free(starts);
  free(buf);
  return 0;
}
