package net.trustbl.rules;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import net.trustbl.common.ProblemException;
import net.trustbl.common.RateLimiter;
import net.trustbl.common.TrustBlConfig;
import net.trustbl.member.AccountStanding;
import net.trustbl.address.IpBlock;
import net.trustbl.journal.MemberViewChanged;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** Stores personal rules and tells the DNS responder (via a CDI event) when they change. */
@ApplicationScoped
public class PersonalRulesService {

    public static final int MAX_ENTRIES = 1000;

    @Inject
    EntityManager em;

    @Inject
    Event<MemberViewChanged> changed;

    @Inject
    AccountStanding standing;

    @Inject
    TrustBlConfig config;

    private volatile RateLimiter changes;

    @Transactional
    public PersonalRules get(long memberId) {
        List<?> rows = em.createNativeQuery("SELECT threshold, allow_list, deny_list FROM member_rules WHERE member_id = ?1")
                .setParameter(1, memberId).getResultList();
        if (rows.isEmpty()) {
            return PersonalRules.none();
        }
        Object[] r = (Object[]) rows.get(0);
        return new PersonalRules(r[0] == null ? null : ((Number) r[0]).doubleValue(), lines((String) r[1]), lines((String) r[2]));
    }

    /**
     * Validates and stores; every entry must be an IP or CIDR. Only members whose reports weigh
     * (email confirmed, pinned or admin) may set rules: each member's view lives in the DNS
     * responder's memory, and registering needs no mailbox. Clearing one's rules is always allowed.
     */
    public PersonalRules put(long memberId, PersonalRules rules) {
        PersonalRules clean = validate(rules);
        int entries = clean.allow().size() + clean.deny().size();
        if ((entries > 0 || clean.threshold() != null) && !standing.confirmed(memberId)) {
            throw ProblemException.forbidden("confirm your email address first: personal rules are served only for confirmed members");
        }
        changes().acquire(memberId, 1);
        if (entries > 0 && entriesOfOthers(memberId) + entries > config.rules().maxTotalEntries()) {
            throw ProblemException.unavailable("the personal rules of all members are at their limit ("
                    + config.rules().maxTotalEntries() + " entries, trustbl.rules.max-total-entries); ask the operator", 3600);
        }
        store(memberId, clean);
        changed.fire(new MemberViewChanged(memberId));
        return clean;
    }

    /** Entries of every other member's lists (a list is stored as lines). */
    @Transactional
    long entriesOfOthers(long memberId) {
        Object n = em.createNativeQuery("SELECT coalesce(sum(" + LINES.formatted("allow_list")
                        + " + " + LINES.formatted("deny_list") + "), 0) FROM member_rules WHERE member_id <> ?1")
                .setParameter(1, memberId).getSingleResult();
        return ((Number) n).longValue();
    }

    private static final String LINES = "CASE WHEN coalesce(%1$s, '') = '' THEN 0 ELSE length(%1$s) - length(replace(%1$s, chr(10), '')) + 1 END";

    private synchronized RateLimiter changes() { // one instance, even when first asked in parallel
        if (changes == null) {
            changes = new RateLimiter(config.rules().changesPerMinute() / 60.0, Math.max(1, config.rules().changesPerMinute()));
        }
        return changes;
    }

    @Transactional
    void store(long memberId, PersonalRules clean) {
        em.createNativeQuery("INSERT INTO member_rules (member_id, threshold, allow_list, deny_list, updated_at) "
                        + "VALUES (?1, ?2, ?3, ?4, now()) ON CONFLICT (member_id) DO UPDATE SET threshold = EXCLUDED.threshold, "
                        + "allow_list = EXCLUDED.allow_list, deny_list = EXCLUDED.deny_list, updated_at = now()")
                .setParameter(1, memberId)
                .setParameter(2, clean.threshold())
                .setParameter(3, String.join("\n", clean.allow()))
                .setParameter(4, String.join("\n", clean.deny()))
                .executeUpdate();
    }

    private static final String VIEW_ROWS = "SELECT m.id, m.query_key, r.threshold, r.allow_list, r.deny_list "
            + "FROM member m LEFT JOIN member_rules r ON r.member_id = m.id WHERE m.status = 'active'";

    /** All active members' rules with their query keys (for building the DNS views at start). */
    @Transactional
    public List<ServedRules> allWithQueryKeys() {
        return served(em.createNativeQuery(VIEW_ROWS).getResultList());
    }

    /** One member's rules as {@link #allWithQueryKeys()} gives them; empty when the member is not active. */
    @Transactional
    public Optional<ServedRules> withQueryKey(long memberId) {
        return served(em.createNativeQuery(VIEW_ROWS + " AND m.id = ?1").setParameter(1, memberId).getResultList())
                .stream().findFirst();
    }

    /** Rows of {@link #VIEW_ROWS}: id, query key, threshold, allow, deny. */
    private static List<ServedRules> served(List<?> rows) {
        List<ServedRules> out = new ArrayList<>(rows.size());
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new ServedRules(((Number) r[0]).longValue(), (String) r[1],
                    new PersonalRules(r[2] == null ? null : ((Number) r[2]).doubleValue(), lines((String) r[3]), lines((String) r[4]))));
        }
        return out;
    }

    static PersonalRules validate(PersonalRules r) {
        if (r == null) {
            throw ProblemException.badRequest("a JSON body {threshold, allow, deny} is required");
        }
        Double t = r.threshold();
        if (t != null && (t.isNaN() || t < 0.1 || t > 100)) {
            throw ProblemException.invalid("threshold", "range", "threshold must be from 0.1 to 100, or null for the network's");
        }
        return new PersonalRules(t, blocks("allow", r.allow()), blocks("deny", r.deny()));
    }

    private static List<String> blocks(String field, List<String> entries) {
        if (entries == null) {
            return List.of();
        }
        if (entries.size() > MAX_ENTRIES) {
            throw ProblemException.invalid(field, "max-items", field + " holds at most " + MAX_ENTRIES + " entries");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String e = entries.get(i);
            if (e == null || e.isBlank()) {
                continue;
            }
            try {
                out.add(IpBlock.parse(e.trim()).toString());
            } catch (IllegalArgumentException ex) {
                throw ProblemException.invalidAt(i, field, "format", field + "[" + i + "]: " + ex.getMessage());
            }
        }
        return new ArrayList<>(out);
    }

    static List<String> lines(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
