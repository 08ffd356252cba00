using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PeopleAdmin.Core.Imports;

internal sealed class ImportConfiguration : IEntityTypeConfiguration<Import>
{
    public void Configure(EntityTypeBuilder<Import> builder)
    {
        builder.HasOne<Workspaces.Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(i => i.FileName).HasMaxLength(2048);
        builder.Property(i => i.SourceUrl).HasMaxLength(2048);
        builder.Property(i => i.RequestedBy).HasMaxLength(256);
        builder.Property(i => i.Source).HasMaxLength(16).HasDefaultValue(People.Sources.Csv);
        builder.HasIndex(i => new { i.WorkspaceId, i.Id });
        builder.HasIndex(i => i.State);
    }
}

internal sealed class ImportProblemConfiguration : IEntityTypeConfiguration<ImportProblem>
{
    public void Configure(EntityTypeBuilder<ImportProblem> builder)
    {
        builder.HasOne<Import>().WithMany().HasForeignKey(p => p.ImportId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.ImportId, p.Kind, p.Row });
    }
}
