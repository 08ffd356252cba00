using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PeopleAdmin.Core.Data;

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

internal sealed class ImportPersonConfiguration : IEntityTypeConfiguration<ImportPerson>
{
    public void Configure(EntityTypeBuilder<ImportPerson> builder)
    {
        // The key makes a resumed batch's second write of a person a no-op (ON CONFLICT DO NOTHING).
        builder.HasKey(p => new { p.WorkspaceId, p.ImportId, p.CioId });
        builder.IsKeyOrdered();
        builder.Property(p => p.CioId).HasMaxLength(32);
        // By the workspace-leading key, which the primary key starts with: no index of its own for the foreign key.
        builder.HasOne<Import>().WithMany().HasForeignKey(p => new { p.WorkspaceId, p.ImportId }).HasPrincipalKey(i => new { i.WorkspaceId, i.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(p => new { p.WorkspaceId, p.ImportId, p.Row });
    }
}
