using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Data;

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(100);
        builder.Property(w => w.NormalizedName).HasMaxLength(100);
        builder.HasIndex(w => w.NormalizedName).IsUnique();
        builder.Property(w => w.SiteId).HasMaxLength(100);
        builder.HasIndex(w => w.SiteId).IsUnique();
        builder.HasIndex(w => w.TrackApiKeyHash).IsUnique();
        builder.HasIndex(w => w.AppApiKeyHash).IsUnique();
        builder.OwnsOne(w => w.Settings, settings =>
        {
            settings.Property(s => s.Identifiers).HasConversion<string>().HasMaxLength(20);
            settings.PrimitiveCollection(s => s.BlockedIdentifierValues);
            settings.PrimitiveCollection(s => s.AllowedOrigins);
        });
        builder.Navigation(w => w.Settings).IsRequired();
    }
}

internal sealed class SettingsChangeConfiguration : IEntityTypeConfiguration<SettingsChange>
{
    public void Configure(EntityTypeBuilder<SettingsChange> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.WorkspaceId, c.Id });
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.HasIndex(a => a.At);
        // The audit page filters by operator and the team page reads each operator's last sign-in.
        builder.HasIndex(a => new { a.Actor, a.At });
    }
}

internal sealed class PersonalTokenConfiguration : IEntityTypeConfiguration<PersonalToken>
{
    public void Configure(EntityTypeBuilder<PersonalToken> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(PersonalTokens.MaxNameLength);
        builder.Property(t => t.SecretHash).HasMaxLength(64);
        builder.HasIndex(t => t.SecretHash).IsUnique();
        builder.HasIndex(t => t.OperatorId);
        // Removing an operator removes their tokens with them.
        builder.HasOne<Operator>().WithMany().HasForeignKey(t => t.OperatorId).OnDelete(DeleteBehavior.Cascade);
    }
}
