package net.trustbl.journal;

/**
 * What the journal did with an entry.
 *
 * @param id          the report id (reports); 0 for other facts
 * @param duplicateOf for a report that repeats a recent one of the same member: the original's id
 */
public record Receipt(long id, Long duplicateOf) {

    public boolean duplicate() {
        return duplicateOf != null;
    }
}
