namespace PeopleAdmin.Core.Forms;

/// <summary>
/// A form whose submissions add people (Customer.io's "custom form submissions"): registered by the Forms API on its
/// first submission or created on the Forms page, then mapped field by field.
/// </summary>
public sealed class Form
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    /// <summary>The form's id as submissions name it (<c>/api/v1/forms/{form_id}/submit</c>, <c>/forms/{site_id}/{form_id}</c>).</summary>
    public required string FormId { get; set; }

    public required string Name { get; set; }

    /// <summary>A form turned off applies nothing: submissions are answered as usual and dropped.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where the hosted action sends a visitor after a submission, when its origin is allowed.</summary>
    public string? SuccessUrl { get; set; }

    public long CreatedMs { get; set; }

    public long Submissions { get; set; }

    public long? LastSubmissionMs { get; set; }

    public List<FormField> Fields { get; set; } = [];
}

/// <summary>What a form field becomes on the person.</summary>
public enum FormFieldRole : byte
{
    /// <summary>An attribute of the field's name, or of <see cref="FormField.AttributeName"/>.</summary>
    Attribute = 0,

    /// <summary>The submission's reference: the person's email.</summary>
    Email = 1,

    /// <summary>The submission's reference: the person's id.</summary>
    Id = 2,

    /// <summary>Never stored.</summary>
    Ignored = 3,
}

/// <summary>A field a form has been seen with, and how it maps.</summary>
public sealed class FormField
{
    public long Id { get; set; }

    public int WorkspaceId { get; set; }

    public long FormRowId { get; set; }

    public required string Name { get; set; }

    public FormFieldRole Role { get; set; }

    /// <summary>The attribute the field is stored as, when renamed; null keeps the field's name.</summary>
    public string? AttributeName { get; set; }

    public long FirstSeenMs { get; set; }
}
