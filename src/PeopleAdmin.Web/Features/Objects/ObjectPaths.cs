namespace PeopleAdmin.Web.Features.Objects;

/// <summary>Links to the object pages; an object id may hold any character, so it is escaped as one path segment.</summary>
public static class ObjectPaths
{
    public static string List(int typeId) => $"/objects/{typeId}";

    public static string Profile(int typeId, string objectId) => $"/objects/{typeId}/{Uri.EscapeDataString(objectId)}";
}
