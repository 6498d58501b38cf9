package net.trustbl.engine;

import net.trustbl.address.IpBlock;

/** A current listing: the block, its 127.0.0.x return code (last octet) and why. */
public record Listing(IpBlock ip, int returnCode, Explanation explanation) { }
