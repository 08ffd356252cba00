namespace PeopleAdmin.Web.Features.Shared;

/// <summary>
/// The identity service and the validators word their errors as clauses ("the description is 1,001 characters; …"),
/// to be composed into API messages; a screen shows one on its own, as a sentence.
/// </summary>
public static class Sentence
{
    public static string Of(string clause) =>
        clause.Length == 0 ? clause : char.ToUpperInvariant(clause[0]) + clause[1..] + (clause.EndsWith('.') ? "" : ".");
}
