using System.Globalization;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Forms;

/// <summary>A submission taken apart by its form's mapping: the one reference, the attributes, and the identifier fields left out.</summary>
public sealed record ResolvedSubmission(
    PersonReference? Reference,
    IReadOnlyDictionary<string, AttributeValue> Attributes,
    IReadOnlyDictionary<string, string> IgnoredIdentifiers);

/// <summary>
/// The form rows of identity-rules.md ("Ways in other than the API"): which field is the reference, what becomes an
/// attribute, and the checks on a form's definition. The Forms API, the hosted action and the Forms page share them.
/// </summary>
public static class FormRules
{
    /// <summary>At most this many forms per workspace; a submission naming a new form id past it is refused.</summary>
    public const int MaxFormsPerWorkspace = 1000;

    /// <summary>A form remembers at most this many field names (the per-request attribute limit); later new names still apply.</summary>
    public const int MaxFieldsPerForm = Limits.CustomAttributes;

    public const int FormIdBytes = 150;

    public const int NameBytes = 150;

    public const int SuccessUrlLength = 2048;

    /// <summary>The hidden field that people never fill and spam bots do: a filled one is answered as a success and dropped.</summary>
    public const string Honeypot = "_gotcha";

    /// <summary>Keys a submission may carry about the form itself; never attributes.</summary>
    public static readonly IReadOnlySet<string> ReservedKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "form_id", "form_name", "form_type", "form_url", "form_url_param",
    };

    private static readonly string[] DefaultIdentifiers = [People.ReservedKeys.Email, People.ReservedKeys.Id];

    /// <summary>The ignored reason of a submission without an identifier (the APIs answer it with 400).</summary>
    public const string IgnoredNoIdentifier = "form submission without an identifier";

    public const string IgnoredFormOff = "the form is turned off";

    /// <summary>The event a submission leaves on the person's activity.</summary>
    public const string EventName = "form_submit";

    public const string NoIdentifierMessage =
        "the submission has no identifier: map a field to the identifier on the Forms page, or send a field named email or id";

    /// <summary>
    /// Exactly one identifier is the reference: the field mapped to the identifier, else <c>email</c> (in an
    /// <c>email_or_id</c> workspace), else <c>id</c>. Another identifier field is left out and listed, never set; in an
    /// <c>id_only</c> workspace an email field is an ordinary attribute. Blank values are left out: an optional field a
    /// visitor skipped does not remove what the person has.
    /// </summary>
    public static ResolvedSubmission Resolve(
        IReadOnlyList<KeyValuePair<string, string>> fields, IReadOnlyCollection<FormField> mapping, IdentifierMode mode)
    {
        var byName = new Dictionary<string, FormField>(StringComparer.Ordinal);
        foreach (var field in mapping)
        {
            byName[field.Name] = field;
        }

        FormFieldRole RoleOf(string name) => byName.TryGetValue(name, out var field) ? Effective(field.Role, mode) : FormFieldRole.Attribute;

        var present = fields
            .Where(f => !string.IsNullOrWhiteSpace(f.Value) && !ReservedKeys.Contains(f.Key) && f.Key != Honeypot && RoleOf(f.Key) != FormFieldRole.Ignored)
            .ToList();

        string? referenceField = null;
        PersonReference? reference = null;
        foreach (var (name, value) in present)
        {
            if (RoleOf(name) is FormFieldRole.Email or FormFieldRole.Id)
            {
                referenceField = name;
                reference = RoleOf(name) == FormFieldRole.Email ? PersonReference.ForEmail(value.Trim()) : PersonReference.ForId(value);
                break;
            }
        }

        foreach (var fallback in mode == IdentifierMode.EmailOrId ? DefaultIdentifiers : [People.ReservedKeys.Id])
        {
            if (reference is not null)
            {
                break;
            }

            if (present.FirstOrDefault(f => f.Key == fallback && RoleOf(f.Key) == FormFieldRole.Attribute) is { Key: not null } named)
            {
                referenceField = named.Key;
                reference = fallback == People.ReservedKeys.Email ? PersonReference.ForEmail(named.Value.Trim()) : PersonReference.ForId(named.Value);
            }
        }

        var attributes = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        var ignored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in present)
        {
            if (name == referenceField)
            {
                continue;
            }

            if (IsIdentifierField(name, RoleOf(name), mode))
            {
                ignored[name] = value;
                continue;
            }

            var attribute = byName.TryGetValue(name, out var field) && !string.IsNullOrWhiteSpace(field.AttributeName) ? field.AttributeName! : name;
            attributes[attribute] = AttributeValue.FromString(value);
        }

        return new ResolvedSubmission(reference, attributes, ignored);
    }

    /// <summary>In <c>id_only</c> email is not an identifier: a field mapped to it is an ordinary attribute.</summary>
    private static FormFieldRole Effective(FormFieldRole role, IdentifierMode mode) =>
        role == FormFieldRole.Email && mode == IdentifierMode.IdOnly ? FormFieldRole.Attribute : role;

    private static bool IsIdentifierField(string name, FormFieldRole role, IdentifierMode mode) =>
        role is FormFieldRole.Email or FormFieldRole.Id
        || name is People.ReservedKeys.Id or People.ReservedKeys.CioId
        || (name == People.ReservedKeys.Email && mode == IdentifierMode.EmailOrId);

    /// <summary>A submission's own checks: the form id, and each field's name and value within the attribute limits.</summary>
    public static RequestError? ValidateSubmission(SubmitFormOperation submission)
    {
        if (ValidateFormId(submission.FormId) is { } formId)
        {
            return formId;
        }

        return ValidateFields(submission.Fields);
    }

    /// <summary>Each field's name and value within the attribute limits.</summary>
    public static RequestError? ValidateFields(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        foreach (var (name, value) in fields)
        {
            if (!TextRules.IsWellFormed(name) || !TextRules.IsWellFormed(value))
            {
                return Invalid("data", TextRules.MalformedMessage("a field's name or value"));
            }

            if (string.IsNullOrEmpty(name) || OperationValidator.Bytes(name) > Limits.AttributeNameBytes)
            {
                return Invalid("data", $"a field name must have 1 to {Limits.AttributeNameBytes} bytes; \"{Shorten(name)}\" has {OperationValidator.Bytes(name)}");
            }

            if (OperationValidator.Bytes(value) > Limits.AttributeValueBytes)
            {
                return Invalid($"data.{name}", $"{name} is {OperationValidator.Bytes(value)} bytes; the limit is {Limits.AttributeValueBytes} bytes");
            }
        }

        return null;
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>A form id: 1 to 150 bytes, no controls or spaces at its ends (it travels in URL paths and HTML).</summary>
    public static RequestError? ValidateFormId(string? formId, string field = "form_id")
    {
        if (string.IsNullOrWhiteSpace(formId))
        {
            return Invalid(field, "a form id is required");
        }

        if (OperationValidator.Bytes(formId) > FormIdBytes)
        {
            return Invalid(field, $"the form id is {OperationValidator.Bytes(formId)} bytes; the limit is {FormIdBytes} bytes");
        }

        if (formId.Trim() != formId || formId.Any(char.IsControl) || !TextRules.IsWellFormed(formId))
        {
            return Invalid(field, "a form id may not start or end with spaces or hold control characters");
        }

        return null;
    }

    public static RequestError? ValidateName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Invalid("name", "a form needs a name");
        }

        return OperationValidator.Bytes(name.Trim()) > NameBytes
            ? Invalid("name", $"the name is {OperationValidator.Bytes(name.Trim())} bytes; the limit is {NameBytes} bytes")
            : null;
    }

    /// <summary>An absolute http(s) URL without credentials; empty means "show the thank-you page".</summary>
    public static RequestError? ValidateSuccessUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        if (url.Length > SuccessUrlLength)
        {
            return Invalid("success_url", $"the success URL has {url.Length} characters; the limit is {SuccessUrlLength}");
        }

        return !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0
            ? Invalid("success_url", $"the success URL must be an absolute http or https address such as https://shop.example.com/thanks; \"{url}\" is not")
            : null;
    }

    /// <summary>
    /// A field's mapping: at most one field is the identifier, an id_only workspace has no email identifier, and a
    /// renamed attribute is a valid attribute name that is not an identifier's.
    /// </summary>
    public static RequestError? ValidateMapping(IReadOnlyList<FormField> fields, IdentifierMode mode)
    {
        var identifiers = fields.Where(f => f.Role is FormFieldRole.Email or FormFieldRole.Id).Select(f => f.Name).ToList();
        if (identifiers.Count > 1)
        {
            return Invalid("fields", $"only one field can be the identifier; {string.Join(" and ", identifiers)} both are");
        }

        foreach (var field in fields)
        {
            if (field.Role == FormFieldRole.Email && mode == IdentifierMode.IdOnly)
            {
                return Invalid(field.Name, "this workspace identifies people by id only: email is not an identifier here");
            }

            if (field.Role != FormFieldRole.Attribute || string.IsNullOrWhiteSpace(field.AttributeName))
            {
                continue;
            }

            var name = field.AttributeName.Trim();
            if (name is People.ReservedKeys.Id or People.ReservedKeys.Email or People.ReservedKeys.CioId)
            {
                return Invalid(field.Name, $"\"{name}\" is an identifier, not an attribute: map the field to the identifier instead");
            }

            if (OperationValidator.Bytes(name) > Limits.AttributeNameBytes)
            {
                return Invalid(field.Name, $"the attribute name is {OperationValidator.Bytes(name)} bytes; the limit is {Limits.AttributeNameBytes} bytes");
            }
        }

        return null;
    }

    /// <summary>A form id made from a name: lower-case letters, digits and dashes (<c>Newsletter signup</c> → <c>newsletter-signup</c>).</summary>
    public static string Slug(string name)
    {
        var slug = new string([.. name.Trim().ToLower(CultureInfo.InvariantCulture).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        slug = slug.Trim('-');
        return slug.Length == 0 ? "form" : slug[..Math.Min(slug.Length, 60)];
    }

    private static RequestError Invalid(string field, string message) => new(ErrorKind.Invalid, field, message);
}
