package org.rnnatlas.core.population;

import java.nio.charset.StandardCharsets;

/**
 * Derives independent 64-bit seeds from a user seed and a purpose, so that every random stream of a population (a
 * network's initial weights, its training batches, a search trial, the validation set) is a pure function of the
 * spec. SplitMix64 finalisation over FNV-1a hashes of the parts: stable across JDKs and platforms.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long mix(long seed, String... parts) {
        long h = splitMix(seed ^ 0x6a09e667f3bcc909L);
        for (String p : parts) {
            h = splitMix(h ^ fnv(p));
        }
        return h;
    }

    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static long splitMix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
