package net.trustbl.journal;

import net.trustbl.common.ProblemException;

/**
 * The database refused one submission's data (for example a character PostgreSQL cannot store):
 * only that submission is refused, with 422, and nothing of it was kept. The other submissions
 * of the same batch were committed.
 */
public class JournalRefusedException extends ProblemException {

    public JournalRefusedException(String detail, String field, String rule, Integer index) {
        super(422, "Invalid input", detail, field, rule, index, null);
    }
}
