using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Tests.Forms;

/// <summary>
/// How a submission is taken apart (identity-rules.md, the form rows): exactly one identifier is the reference, the
/// rest are attributes or left out. Fields are written "name=value"; mappings "name:role" or "name:attribute>renamed".
/// </summary>
public sealed class FormRulesTests
{
    public sealed record Row(
        string Description,
        string[] Fields,
        string[] Mapping,
        string Reference,
        string Attributes,
        string Ignored = "",
        IdentifierMode Mode = IdentifierMode.EmailOrId)
    {
        public override string ToString() => Description;
    }

    public static TheoryData<Row> Rows => new(
        new Row("a field named email is the reference", ["email=a@x.com", "name=Ann"], [], "email:a@x.com", "name=Ann"),
        new Row("without email, a field named id is the reference", ["id=u1", "name=Ann"], [], "id:u1", "name=Ann"),
        new Row("email comes before id, and the id is left out and noted, never set", ["id=u1", "email=a@x.com"], [], "email:a@x.com", "", "id=u1"),
        new Row("the field mapped to the identifier comes first; a field named email is then left out", ["user=u1", "email=a@x.com"], ["user:Id"], "id:u1", "", "email=a@x.com"),
        new Row("a field mapped to the email identifier", ["contact=a@x.com", "id=u1"], ["contact:Email"], "email:a@x.com", "", "id=u1"),
        new Row("a mapped identifier left blank falls back to a field named email", ["user=", "email=a@x.com"], ["user:Id"], "email:a@x.com", ""),
        new Row("no identifier at all", ["name=Ann"], [], "none", "name=Ann"),
        new Row("an ignored field named email is not the reference and not stored", ["email=a@x.com", "id=u1"], ["email:Ignored"], "id:u1", ""),
        new Row("cio_id is never a reference and never stored", ["cio_id=abc", "email=a@x.com"], [], "email:a@x.com", "", "cio_id=abc"),
        new Row("the reserved form_* keys are ignored", ["email=a@x.com", "form_id=f", "form_name=F", "form_type=t", "form_url=u", "form_url_param=p"], [], "email:a@x.com", ""),
        new Row("the honeypot is never stored", ["email=a@x.com", "_gotcha="], [], "email:a@x.com", ""),
        new Row("a renamed field is stored under its attribute name", ["email=a@x.com", "fname=Ann"], ["fname:Attribute>first_name"], "email:a@x.com", "first_name=Ann"),
        new Row("blank values are left out, so a skipped field removes nothing", ["email=a@x.com", "phone=  "], [], "email:a@x.com", ""),
        new Row("a reference email is trimmed", ["email= a@x.com "], [], "email:a@x.com", ""),
        new Row("id_only: a field named email is an ordinary attribute, and id is the reference", ["email=a@x.com", "id=u1"], [], "id:u1", "email=a@x.com", Mode: IdentifierMode.IdOnly),
        new Row("id_only: without an id there is no reference, whatever the email", ["email=a@x.com"], [], "none", "email=a@x.com", Mode: IdentifierMode.IdOnly),
        new Row("id_only: a field mapped to the email identifier is an attribute", ["contact=a@x.com", "id=u1"], ["contact:Email"], "id:u1", "contact=a@x.com", Mode: IdentifierMode.IdOnly));

    [Theory]
    [MemberData(nameof(Rows))]
    public void ASubmissionHasExactlyOneReference(Row row)
    {
        // Arrange
        var fields = row.Fields.Select(f => f.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1])).ToList();
        var mapping = row.Mapping.Select(m =>
        {
            var (name, rest) = (m[..m.IndexOf(':', StringComparison.Ordinal)], m[(m.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            var parts = rest.Split('>');
            return new FormField { Name = name, Role = Enum.Parse<FormFieldRole>(parts[0]), AttributeName = parts.Length > 1 ? parts[1] : null };
        }).ToList();

        // Act
        var resolved = FormRules.Resolve(fields, mapping, row.Mode);

        // Assert
        var reference = resolved.Reference is { } r ? $"{(r.Kind == ReferenceKind.Email ? "email" : "id")}:{r.Value}" : "none";
        reference.ShouldBe(row.Reference);
        string.Join(",", resolved.Attributes.Select(a => $"{a.Key}={a.Value.Text}")).ShouldBe(row.Attributes);
        string.Join(",", resolved.IgnoredIdentifiers.Select(a => $"{a.Key}={a.Value}")).ShouldBe(row.Ignored);
    }

    public static TheoryData<string?, string?> SuccessUrls => new()
    {
        { "https://shop.example.com/thanks", null },
        { "", null },
        { "/thanks", "must be an absolute http or https address" },
        { "javascript:alert(1)", "must be an absolute http or https address" },
        { "https://user:pw@shop.example.com/", "must be an absolute http or https address" },
    };

    [Theory]
    [MemberData(nameof(SuccessUrls))]
    public void ASuccessUrlIsAnAbsoluteHttpAddress(string? url, string? expected)
    {
        var error = FormRules.ValidateSuccessUrl(url);

        if (expected is null)
        {
            error.ShouldBeNull();
        }
        else
        {
            error!.Message.ShouldContain(expected);
        }
    }

    [Fact]
    public void OnlyOneFieldCanBeTheIdentifier()
    {
        var fields = new List<FormField> { new() { Name = "a", Role = FormFieldRole.Email }, new() { Name = "b", Role = FormFieldRole.Id } };

        var error = FormRules.ValidateMapping(fields, IdentifierMode.EmailOrId);

        error!.Message.ShouldBe("only one field can be the identifier; a and b both are");
    }

    [Fact]
    public void ARenamedAttributeCannotTakeAnIdentifiersName()
    {
        var fields = new List<FormField> { new() { Name = "mail", Role = FormFieldRole.Attribute, AttributeName = "email" } };

        var error = FormRules.ValidateMapping(fields, IdentifierMode.EmailOrId);

        error!.Field.ShouldBe("mail");
        error.Message.ShouldContain("map the field to the identifier instead");
    }

    [Fact]
    public void AnIdOnlyWorkspaceHasNoEmailIdentifierToMapTo()
    {
        var fields = new List<FormField> { new() { Name = "mail", Role = FormFieldRole.Email } };

        FormRules.ValidateMapping(fields, IdentifierMode.IdOnly)!.Message.ShouldContain("id only");
    }

    [Theory]
    [InlineData("Newsletter signup", "newsletter-signup")]
    [InlineData("  Café & Co!  ", "caf-co")]
    [InlineData("!!!", "form")]
    public void AFormIdIsMadeFromItsName(string name, string slug) => FormRules.Slug(name).ShouldBe(slug);
}
