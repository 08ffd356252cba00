namespace PeopleAdmin.Web.Features.People;

/// <summary>
/// What an operator has typed on a profile's Attributes tab and not saved yet. The page holds it, so that switching
/// tabs keeps it and leaving the page can warn about it.
/// </summary>
public sealed class AttributeDraft
{
    /// <summary>New attributes, not saved yet.</summary>
    public List<AttributeRow> NewRows { get; } = [];

    /// <summary>The existing attribute being changed (its name is fixed), or null.</summary>
    public AttributeRow? Editing { get; set; }

    /// <summary>The value that <see cref="Editing"/> started from, to tell an edit from a look.</summary>
    public (Core.People.AttributeType Type, string Value)? EditingFrom { get; set; }

    public bool HasChanges => NewRows.Count > 0 || (Editing is { } row && EditingFrom != (row.Type, row.Value));

    public void Clear()
    {
        NewRows.Clear();
        Editing = null;
        EditingFrom = null;
    }
}
