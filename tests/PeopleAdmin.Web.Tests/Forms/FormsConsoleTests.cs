using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Forms;
using PeopleAdmin.Web.Infrastructure;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Forms;

/// <summary>The ready-to-paste HTML of the Forms page.</summary>
public sealed class FormsConsoleTests
{
    private static readonly DateTimeOffset Seen = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task TheHtmlExamplePostsToThePublicAddressWithTheSeenFieldsAndTheHoneypot()
    {
        await using var factory = new PeopleAdminFactory().With("PeopleAdmin:PublicBaseUrl", "https://people.example.com/base/");
        var console = new FormsConsole(null!, null!, null!, factory.Services.GetRequiredService<PublicAddress>());
        var form = new FormDetails(1, "sign up", "Sign up", true, null, 0, null,
        [
            new FormFieldDetails("user_id", FormFieldRole.Id, null, Seen),
            new FormFieldDetails("email", FormFieldRole.Attribute, null, Seen),
            new FormFieldDetails("secret", FormFieldRole.Ignored, null, Seen),
        ]);

        var html = console.HtmlExample("site1", form, IdentifierMode.EmailOrId);

        html.ShouldBe("""
            <form action="https://people.example.com/base/forms/site1/sign%20up" method="post">
              <label>User id <input type="text" name="user_id" required></label>
              <label>Email <input type="email" name="email"></label>
              <!-- A trap for spam bots: people never see it, so never fill it. -->
              <input type="text" name="_gotcha" style="display:none" tabindex="-1" autocomplete="off">
              <button type="submit">Send</button>
            </form>
            """);
    }

    [Fact]
    public async Task AFormWithoutFieldsGetsAnEmailAndANameField()
    {
        await using var factory = new PeopleAdminFactory().With("PeopleAdmin:PublicBaseUrl", "https://people.example.com");
        var console = new FormsConsole(null!, null!, null!, factory.Services.GetRequiredService<PublicAddress>());

        var html = console.HtmlExample("site1", new FormDetails(1, "f", "F", true, null, 0, null, []), IdentifierMode.EmailOrId);

        html.ShouldContain("""<label>Email <input type="email" name="email" required></label>""");
        html.ShouldContain("""<label>First name <input type="text" name="first_name"></label>""");
    }
}
