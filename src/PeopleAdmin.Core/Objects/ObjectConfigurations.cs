using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Objects;

internal sealed class ObjectTypeConfiguration : IEntityTypeConfiguration<ObjectType>
{
    public void Configure(EntityTypeBuilder<ObjectType> builder)
    {
        builder.ToTable("ObjectTypes");
        builder.HasWorkspaceKey();
        builder.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Name).HasMaxLength(ObjectLimits.TypeNameBytes);
        builder.HasIndex(t => new { t.WorkspaceId, t.TypeId }).IsUnique();
        builder.HasIndex(t => new { t.WorkspaceId, t.Name }).IsUnique();
    }
}

internal sealed class WorkspaceObjectConfiguration : IEntityTypeConfiguration<WorkspaceObject>
{
    public void Configure(EntityTypeBuilder<WorkspaceObject> builder)
    {
        builder.ToTable("Objects");
        builder.HasWorkspaceKey();
        builder.HasOne<ObjectType>().WithMany().HasForeignKey(o => new { o.WorkspaceId, o.ObjectTypeRowId }).HasPrincipalKey(t => new { t.WorkspaceId, t.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.Property(o => o.ObjectId).HasMaxLength(ObjectLimits.ObjectIdBytes);
        builder.Property(o => o.CioObjectId).HasMaxLength(32);
        builder.HasIndex(o => new { o.WorkspaceId, o.ObjectTypeRowId, o.ObjectId }).IsUnique();
        builder.HasIndex(o => new { o.WorkspaceId, o.CioObjectId }).IsUnique();
    }
}

internal sealed class RelationshipConfiguration : IEntityTypeConfiguration<Relationship>
{
    public void Configure(EntityTypeBuilder<Relationship> builder)
    {
        builder.ToTable("Relationships");
        builder.HasKey(r => new { r.WorkspaceId, r.ObjectRowId, r.PersonId });
        // Deleting (or suppressing) a person or deleting an object removes its relationships.
        builder.HasOne<WorkspaceObject>().WithMany().HasForeignKey(r => new { r.WorkspaceId, r.ObjectRowId }).HasPrincipalKey(o => new { o.WorkspaceId, o.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => new { r.WorkspaceId, r.PersonId }).HasPrincipalKey(p => new { p.WorkspaceId, p.Id })
            .OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.WorkspaceId, r.PersonId, r.ObjectRowId });
    }
}
