using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Syncs;

internal sealed class SyncConnectionConfiguration : IEntityTypeConfiguration<SyncConnection>
{
    public void Configure(EntityTypeBuilder<SyncConnection> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Name).HasMaxLength(SyncLimits.NameLength);
        builder.Property(c => c.Host).HasMaxLength(SyncLimits.HostLength);
        builder.Property(c => c.Database).HasMaxLength(SyncLimits.NameLength);
        builder.Property(c => c.User).HasMaxLength(SyncLimits.NameLength);
        builder.HasIndex(c => new { c.WorkspaceId, c.Name }).IsUnique();
    }
}

internal sealed class SyncConfiguration : IEntityTypeConfiguration<Sync>
{
    public void Configure(EntityTypeBuilder<Sync> builder)
    {
        builder.HasOne<Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        // A connection that syncs use cannot be removed from under them.
        builder.HasOne<SyncConnection>().WithMany().HasForeignKey(s => s.ConnectionId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(s => s.Name).HasMaxLength(SyncLimits.NameLength);
        builder.Property(s => s.Query).HasMaxLength(SyncLimits.QueryLength);
        builder.Property(s => s.SegmentName).HasMaxLength(People.Limits.SegmentNameBytes);
        builder.HasIndex(s => new { s.WorkspaceId, s.Name }).IsUnique();
        builder.HasIndex(s => new { s.Paused, s.NextRunMs });
    }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.HasOne<Sync>().WithMany().HasForeignKey(r => r.SyncId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Imports.Import>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(r => r.Error).HasMaxLength(2000);
        builder.Property(r => r.Warning).HasMaxLength(1000);
        builder.HasIndex(r => new { r.SyncId, r.Id });
        builder.HasIndex(r => new { r.State, r.Id });
        // One run at a time per sync, across instances: a second queued or running run of a sync breaks this index.
        builder.HasIndex(r => r.SyncId).IsUnique().HasFilter("\"State\" IN (1, 2)").HasDatabaseName("IX_SyncRuns_OneActivePerSync");
    }
}
