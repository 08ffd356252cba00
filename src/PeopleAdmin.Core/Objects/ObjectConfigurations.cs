using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Objects;

internal sealed class ObjectTypeConfiguration : IEntityTypeConfiguration<ObjectType>
{
    public void Configure(EntityTypeBuilder<ObjectType> builder)
    {
        builder.ToTable("ObjectTypes");
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
        builder.HasOne<ObjectType>().WithMany().HasForeignKey(o => o.ObjectTypeRowId).OnDelete(DeleteBehavior.Cascade);
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
        builder.HasKey(r => new { r.ObjectRowId, r.PersonId });
        // Deleting (or suppressing) a person or deleting an object removes its relationships.
        builder.HasOne<WorkspaceObject>().WithMany().HasForeignKey(r => r.ObjectRowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(r => r.PersonId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.PersonId, r.ObjectRowId });
    }
}
