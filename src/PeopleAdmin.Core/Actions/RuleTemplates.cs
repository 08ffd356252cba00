using System.Text;
using System.Text.Json.Nodes;
using Fluid;

namespace PeopleAdmin.Core.Actions;

/// <summary>
/// The rules' Liquid templates (Fluid): parsed once, rendered over plain JSON values only (<c>event</c>, <c>webhook</c>,
/// <c>customer</c>), never the app's objects, with bounds on steps, recursion and output, so that an operator's template
/// cannot loop forever or fill the memory.
/// </summary>
public static class RuleTemplates
{
    public const int MaxSteps = 10_000;
    public const int MaxRecursion = 20;
    public const int MaxOutputChars = 1_000;
    public const int MaxTemplateChars = 2_000;

    private static readonly FluidParser Parser = new();

    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithMaxSteps(MaxSteps)
        .WithMaxRecursion(MaxRecursion)
        .Build();

    /// <summary>Why <paramref name="source"/> is not a template the rules accept, or null.</summary>
    public static string? Problem(string source)
    {
        if (source.Length > MaxTemplateChars)
        {
            return $"is {source.Length} characters long; a template has at most {MaxTemplateChars}";
        }

        return Parser.TryParse(source, out _, out var error) ? null : $"is not a valid Liquid template: {error}";
    }

    /// <summary>Renders a template over the model; a parse error, a bound reached or a failing filter is the error, with its reason.</summary>
    public static async Task<(string? Value, string? Error)> RenderAsync(string source, JsonObject model)
    {
        if (Problem(source) is { } problem)
        {
            return (null, $"the template {problem}");
        }

        Parser.TryParse(source, out var template, out _);
        var output = new BoundedWriter(MaxOutputChars);
        try
        {
            await template.RenderAsync(output, new TemplateContext(model, Options));
            return (output.ToString(), null);
        }
        catch (OutputTooLargeException)
        {
            return (null, $"the template rendered more than {MaxOutputChars} characters");
        }
        // Fluid reports a bound reached (steps, recursion) and a failing filter as exceptions of several types.
        catch (Exception exception)
        {
            return (null, $"the template failed: {exception.Message}");
        }
    }

    private sealed class OutputTooLargeException : Exception;

    /// <summary>A writer that stops the rendering once it holds more than its bound.</summary>
    private sealed class BoundedWriter(int max) : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            Check(1);
            _text.Append(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            _text.Append(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            _text.Append(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            _text.Append(buffer);
        }

        public override string ToString() => _text.ToString();

        private void Check(int adding)
        {
            if (_text.Length + adding > max)
            {
                throw new OutputTooLargeException();
            }
        }
    }
}
