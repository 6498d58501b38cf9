package net.trustbl.watch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The {@code trustbl.watch.*} keys: how many networks a member may watch, how wide, how often mail goes out. */
@ConfigMapping(prefix = "trustbl.watch")
public interface WatchConfig {

    /** Watched networks per member. */
    @WithDefault("20")
    int maxPerMember();

    /** The widest IPv4 network one watch may cover (a /16 is 65,536 addresses). */
    @WithDefault("16")
    int minPrefixV4();

    /** The widest IPv6 network one watch may cover. */
    @WithDefault("32")
    int minPrefixV6();

    /** How often the listing history is read for changes inside watched networks. */
    @WithDefault("15s")
    Duration interval();

    /** Listing changes mailed per member and run; more are summarised with a link. */
    @WithDefault("50")
    int maxChangesPerMail();

    /** Notice mails per member and UTC day; later changes that day are left to the watches page. */
    @WithDefault("24")
    int maxMailsPerDay();
}
