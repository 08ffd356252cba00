using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PeopleAdmin.Core.Exports;

internal sealed class ExportConfiguration : IEntityTypeConfiguration<Export>
{
    public void Configure(EntityTypeBuilder<Export> builder)
    {
        builder.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.RequestedBy).HasMaxLength(256);
        builder.HasIndex(e => new { e.WorkspaceId, e.Id });
        builder.HasIndex(e => e.Status);
    }
}
