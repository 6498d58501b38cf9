package net.trustbl.dns.index;

/** Receives index entries; IPv4 keys arrive in {@code lo} (low 32 bits). Code -1 marks an exclusion. */
@FunctionalInterface
public interface EntryVisitor {
    void entry(boolean v6, long hi, long lo, int prefix, int code, float score);
}
