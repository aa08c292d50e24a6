package io.apiops.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A list of breached and common passwords, lowercased, held as one sorted block of UTF-8 bytes with an index of where
 * each entry starts: about 1.3 MB for 100 000 entries, a quarter of what as many {@code String}s in a set would take.
 * Look-ups are binary searches and allocate only the candidate's bytes.
 */
final class BreachedPasswords {

    /**
     * nbvcxz's list: the 100 001 most common passwords of public breach corpora, most frequent first, one a line.
     */
    static final String RESOURCE = "dictionaries/passwords.txt";

    private final byte[] text;
    private final int[] starts;

    private BreachedPasswords(byte[] text, int[] starts) {
        this.text = text;
        this.starts = starts;
    }

    /** Reads the list from the class path; fails when it is missing, since a policy without it would be silent. */
    static BreachedPasswords load() {
        InputStream in = BreachedPasswords.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("The breached-password list " + RESOURCE + " is not on the class path");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return of(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BreachedPasswords of(List<String> passwords) {
        List<byte[]> entries = new ArrayList<>(passwords.size());
        for (String password : passwords) {
            String entry = password.strip().toLowerCase(Locale.ROOT);
            if (!entry.isEmpty()) {
                entries.add(entry.getBytes(StandardCharsets.UTF_8));
            }
        }
        entries.sort(Arrays::compareUnsigned);
        int size = 0;
        int total = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (i == 0 || !Arrays.equals(entries.get(i), entries.get(i - 1))) {
                entries.set(size++, entries.get(i));
                total += entries.get(i).length;
            }
        }
        byte[] text = new byte[total];
        int[] starts = new int[size + 1];
        int at = 0;
        for (int i = 0; i < size; i++) {
            byte[] entry = entries.get(i);
            starts[i] = at;
            System.arraycopy(entry, 0, text, at, entry.length);
            at += entry.length;
        }
        starts[size] = at;
        return new BreachedPasswords(text, starts);
    }

    /** Whether the list holds {@code lowercased}, which the caller has lowercased with {@link Locale#ROOT}. */
    boolean contains(String lowercased) {
        byte[] key = lowercased.getBytes(StandardCharsets.UTF_8);
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Arrays.compareUnsigned(text, starts[middle], starts[middle + 1], key, 0, key.length);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Distinct entries. */
    int size() {
        return starts.length - 1;
    }

    /** The bytes the list occupies on the heap: its two arrays with their headers. */
    long heapBytes() {
        return 16L + text.length + 16L + 4L * starts.length;
    }
}
