using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PeopleAdmin.Web.Features.Forms;

/// <summary>
/// The pages a visitor of someone's website sees after a hosted form submission when there is no success URL to go
/// to: plain HTML with its own small stylesheet (no app assets, no script), in the visitor's words rather than ours.
/// </summary>
internal static class HostedFormPages
{
    public static ContentHttpResult ThankYou => Page(StatusCodes.Status200OK, "Thank you", "Your submission was received.");

    public static ContentHttpResult TooManyFromAddress =>
        Page(StatusCodes.Status429TooManyRequests, "Too many submissions", "This form was sent too many times from your network. Please wait a minute and try again.");

    public static ContentHttpResult Busy =>
        Page(StatusCodes.Status429TooManyRequests, "Too many submissions", "This form is receiving many submissions right now. Please try again in a moment.");

    public static ContentHttpResult NotFound =>
        Page(StatusCodes.Status404NotFound, "Form not found", "This form does not exist (any more). Please tell the website's owner.");

    public static ContentHttpResult OriginNotAllowed =>
        Page(StatusCodes.Status403Forbidden, "Form not accepted", "This website is not allowed to send this form. Please tell the website's owner.");

    public static ContentHttpResult NoIdentifier =>
        Page(StatusCodes.Status400BadRequest, "Submission not saved", "The form was sent without an email address (or the field that identifies you), so it could not be saved. Please fill it in and send the form again.");

    public static ContentHttpResult PostOnly =>
        Page(StatusCodes.Status405MethodNotAllowed, "Not a page", "This address receives a form's submissions (POST) only. Please use the form on the website.");

    public static ContentHttpResult NotAForm =>
        Page(StatusCodes.Status415UnsupportedMediaType, "Not a form submission", "Send the form's fields as application/x-www-form-urlencoded or multipart/form-data.");

    public static ContentHttpResult TooLarge(int limit) =>
        Page(StatusCodes.Status413PayloadTooLarge, "Submission too large", $"A submission may be at most {limit / 1024:N0} KiB.");

    public static ContentHttpResult Invalid(string message) =>
        Page(StatusCodes.Status400BadRequest, "Submission not saved", $"The submission could not be saved: {message}.");

    private static ContentHttpResult Page(int status, string title, string message) => TypedResults.Content(
        $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{HtmlEncoder.Default.Encode(title)}}</title>
        <style>
        body { font-family: system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f6f7f9; color: #1f2937; }
        main { background: #fff; border-radius: 12px; padding: 2.5rem 3rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); max-width: 32rem; }
        h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
        p { margin: 0; line-height: 1.5; }
        </style>
        </head>
        <body><main><h1>{{HtmlEncoder.Default.Encode(title)}}</h1><p>{{HtmlEncoder.Default.Encode(message)}}</p></main></body>
        </html>
        """,
        "text/html; charset=utf-8",
        statusCode: status);
}
