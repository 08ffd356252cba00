using System.Net;
using System.Text.RegularExpressions;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>Posts the static account pages' forms the way a browser does: antiforgery token, handler name and fields.</summary>
public static partial class StaticForms
{
    public const string OwnerEmail = "owner@example.test";
    public const string OwnerPassword = "correct horse battery";

    public static PeopleAdminFactory WithOwner(this PeopleAdminFactory factory) => factory
        .With("PeopleAdmin:Admin:Email", OwnerEmail)
        .With("PeopleAdmin:Admin:Password", OwnerPassword);

    /// <summary>Reads the antiforgery token from a page; the client keeps the matching cookie.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var match = TokenField().Match(html);
        match.Success.ShouldBeTrue($"{url} has an antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> PostAsync(
        HttpClient client, string url, string token, string handler, IReadOnlyDictionary<string, string> fields)
    {
        var form = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = handler,
        };
        using var content = new FormUrlEncodedContent(form);
        return await client.PostAsync(new Uri(url, UriKind.Relative), content, TestContext.Current.CancellationToken);
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/Account/Login");
        return await PostAsync(client, "/Account/Login", token, "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
