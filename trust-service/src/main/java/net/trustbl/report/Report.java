package net.trustbl.report;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A stored report (written by the journal with JDBC; read here). */
@Entity
@Table(name = "report")
public class Report extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "member_id")
    public Long memberId;

    public String ip;
    public String verdict;
    public String category;
    public String note;
    public String channel;
    public double strength;

    @Column(name = "created_at")
    public Instant createdAt;

    public String outcome;

    @Column(name = "duplicate_of")
    public Long duplicateOf;
}
