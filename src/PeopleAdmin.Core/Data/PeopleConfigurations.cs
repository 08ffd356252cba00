using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Data;

// Every table of the people store leads its keys with WorkspaceId, so that a distributed database could shard by it
// (DistributionKeys): foreign keys within the store name (WorkspaceId, Id).

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.CioId).HasMaxLength(32);
        builder.Property(p => p.ExternalId).HasMaxLength(150);
        builder.HasIndex(p => new { p.WorkspaceId, p.CioId }).IsUnique();
        builder.HasIndex(p => new { p.WorkspaceId, p.ExternalId }).IsUnique();
        // One person per email where it is an identifier, and every lookup and search by email (Person.EmailIsIdentifier).
        builder.HasIndex(p => new { p.WorkspaceId, p.EmailNormalized, p.EmailIsIdentifier }).IsUnique();
        // Keyset paging of the People list, newest first.
        builder.HasIndex(p => new { p.WorkspaceId, p.FirstSeenMs, p.Id });
    }
}

internal sealed class PersonAttributeConfiguration : IEntityTypeConfiguration<PersonAttribute>
{
    private const string ValuesByPersonIndex = "IX_PersonAttributes_WorkspaceId_PersonId_Name_Values";

    public void Configure(EntityTypeBuilder<PersonAttribute> builder)
    {
        builder.HasKey(a => new { a.WorkspaceId, a.PersonId, a.Name });
        builder.IsKeyOrdered();
        builder.HasOne<Person>().WithMany().HasForeignKey(a => new { a.WorkspaceId, a.PersonId }).HasPrincipalKey(p => new { p.WorkspaceId, p.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Name).HasMaxLength(150);
        builder.Property(a => a.TextValue).HasMaxLength(1000);
        // Attribute filters: equals, contains and exists read the text index; greater and less the number index,
        // which holds numbers only (a comparison implies NumberValue IS NOT NULL), so that a text value costs no entry.
        builder.HasIndex(a => new { a.WorkspaceId, a.Name, a.TextValue });
        builder.HasIndex(a => new { a.WorkspaceId, a.Name, a.NumberValue }).HasFilter("\"NumberValue\" IS NOT NULL");
        // An export's attribute columns and a filter's per-person probes read (workspace, person, name) and the value: on
        // PostgreSQL from this index alone, where the primary key's index would add a visit to the heap for each value. SQLite
        // keeps the table in key order (KeyOrderedTables), which answers them itself, and has no such index.
        builder.HasIndex(a => new { a.WorkspaceId, a.PersonId, a.Name, a.TextValue, a.NumberValue }).HasDatabaseName(ValuesByPersonIndex);
    }
}

internal sealed class SuppressionConfiguration : IEntityTypeConfiguration<Suppression>
{
    public void Configure(EntityTypeBuilder<Suppression> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.WorkspaceId, s.Kind, s.ValueKey }).IsUnique();
        builder.HasIndex(s => new { s.WorkspaceId, s.GroupId });
    }
}

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        // A deleted person's entries stay in the workspace log: the service strips their data and unlinks them
        // (DeletePersonAsync), a merge moves them first. The database cannot do it, as SET NULL would null the workspace too.
        builder.HasOne<Person>().WithMany().HasForeignKey(a => new { a.WorkspaceId, a.PersonId }).HasPrincipalKey(p => new { p.WorkspaceId, p.Id })
            .OnDelete(DeleteBehavior.NoAction);
        builder.Property(a => a.Type).HasMaxLength(32);
        builder.Property(a => a.Source).HasMaxLength(16);
        builder.Property(a => a.Actor).HasMaxLength(256);
        builder.HasIndex(a => new { a.WorkspaceId, a.Id });
        builder.HasIndex(a => new { a.WorkspaceId, a.PersonId, a.Id });
        builder.HasIndex(a => new { a.WorkspaceId, a.DedupId }).IsUnique().HasFilter("\"DedupId\" IS NOT NULL");
        builder.HasIndex(a => new { a.WorkspaceId, a.AnonymousId, a.Timestamp }).HasFilter("\"AnonymousId\" IS NOT NULL");
    }
}

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Person>().WithMany().HasForeignKey(d => new { d.WorkspaceId, d.PersonId }).HasPrincipalKey(p => new { p.WorkspaceId, p.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Token).HasMaxLength(255);
        builder.Property(d => d.Platform).HasMaxLength(32);
        builder.HasIndex(d => new { d.WorkspaceId, d.Token }).IsUnique();
    }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Name).HasMaxLength(150);
        builder.HasIndex(s => new { s.WorkspaceId, s.Name }).IsUnique();
    }
}

internal sealed class SegmentMembershipConfiguration : IEntityTypeConfiguration<SegmentMembership>
{
    public void Configure(EntityTypeBuilder<SegmentMembership> builder)
    {
        builder.HasKey(m => new { m.WorkspaceId, m.SegmentId, m.PersonId });
        builder.HasOne<Segment>().WithMany().HasForeignKey(m => new { m.WorkspaceId, m.SegmentId }).HasPrincipalKey(s => new { s.WorkspaceId, s.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(m => new { m.WorkspaceId, m.PersonId }).HasPrincipalKey(p => new { p.WorkspaceId, p.Id })
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MergeRecordConfiguration : IEntityTypeConfiguration<MergeRecord>
{
    public void Configure(EntityTypeBuilder<MergeRecord> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Source).HasMaxLength(16);
        builder.HasIndex(m => new { m.WorkspaceId, m.SecondaryCioId });
        builder.HasIndex(m => new { m.WorkspaceId, m.PrimaryPersonId });
    }
}

internal sealed class FormConfiguration : IEntityTypeConfiguration<Forms.Form>
{
    public void Configure(EntityTypeBuilder<Forms.Form> builder)
    {
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(f => f.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(f => f.FormId).HasMaxLength(150);
        builder.Property(f => f.Name).HasMaxLength(150);
        builder.Property(f => f.SuccessUrl).HasMaxLength(2048);
        builder.HasIndex(f => new { f.WorkspaceId, f.FormId }).IsUnique();
        builder.HasMany(f => f.Fields).WithOne().HasForeignKey(f => new { f.WorkspaceId, f.FormRowId }).HasPrincipalKey(f => new { f.WorkspaceId, f.Id })
            .OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class FormFieldConfiguration : IEntityTypeConfiguration<Forms.FormField>
{
    public void Configure(EntityTypeBuilder<Forms.FormField> builder)
    {
        builder.HasWorkspaceKey();
        builder.Property(f => f.Name).HasMaxLength(150);
        builder.Property(f => f.AttributeName).HasMaxLength(150);
        builder.HasIndex(f => new { f.WorkspaceId, f.FormRowId, f.Name }).IsUnique();
    }
}

internal sealed class ActionRuleConfiguration : IEntityTypeConfiguration<Actions.ActionRule>
{
    public void Configure(EntityTypeBuilder<Actions.ActionRule> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Name).HasMaxLength(Actions.RuleDefinition.MaxNameLength);
        builder.Property(r => r.EventName).HasMaxLength(Actions.RuleDefinition.MaxNameLength);
        builder.PrimitiveCollection(r => r.Sources);
        builder.Property(r => r.WebhookToken).HasMaxLength(64);
        builder.HasIndex(r => r.WebhookToken).IsUnique().HasFilter("\"WebhookToken\" IS NOT NULL");
        builder.Property(r => r.TargetIdentifier).HasMaxLength(8);
        builder.HasIndex(r => new { r.WorkspaceId, r.EventName });
    }
}

internal sealed class ActionRuleRunConfiguration : IEntityTypeConfiguration<Actions.ActionRuleRun>
{
    public void Configure(EntityTypeBuilder<Actions.ActionRuleRun> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Actions.ActionRule>().WithMany().HasForeignKey(r => r.RuleId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(r => r.Trigger).HasMaxLength(200);
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.HasIndex(r => new { r.RuleId, r.Id });
    }
}

internal sealed class LeadAdConnectionConfiguration : IEntityTypeConfiguration<LeadAds.LeadAdConnection>
{
    public void Configure(EntityTypeBuilder<LeadAds.LeadAdConnection> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.WorkspaceId).IsUnique();
        builder.Property(c => c.GraphVersion).HasMaxLength(16);
        builder.HasMany(c => c.Pages).WithOne().HasForeignKey(p => p.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LeadAdPageConfiguration : IEntityTypeConfiguration<LeadAds.LeadAdPage>
{
    public void Configure(EntityTypeBuilder<LeadAds.LeadAdPage> builder)
    {
        builder.Property(p => p.PageId).HasMaxLength(64);
        builder.HasIndex(p => new { p.WorkspaceId, p.PageId }).IsUnique();
    }
}

internal sealed class ReceivedLeadConfiguration : IEntityTypeConfiguration<LeadAds.ReceivedLead>
{
    public void Configure(EntityTypeBuilder<LeadAds.ReceivedLead> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(l => l.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(l => l.LeadgenId).HasMaxLength(64);
        builder.Property(l => l.PageId).HasMaxLength(64);
        builder.Property(l => l.FormId).HasMaxLength(64);
        builder.Property(l => l.AdId).HasMaxLength(64);
        builder.Property(l => l.Error).HasMaxLength(1000);
        // Meta retries a notification for 36 hours: the index, not a check, makes a lead arrive once.
        builder.HasIndex(l => new { l.WorkspaceId, l.LeadgenId }).IsUnique();
        builder.HasIndex(l => new { l.State, l.NextAttemptMs });
    }
}
