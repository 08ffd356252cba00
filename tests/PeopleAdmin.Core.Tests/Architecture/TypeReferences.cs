using System.Reflection;
using System.Reflection.Emit;

namespace PeopleAdmin.Core.Tests.Architecture;

/// <summary>
/// Every type a type refers to: in its signatures (base type, interfaces, fields, properties, methods), its methods'
/// locals, and the members its IL calls, reads or creates; nested types (lambdas, async state machines) included.
/// </summary>
internal static class TypeReferences
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static HashSet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        Collect(type, found);
        return found;
    }

    private static void Collect(Type type, HashSet<Type> found)
    {
        Add(type.BaseType, found);
        foreach (var contract in type.GetInterfaces())
        {
            Add(contract, found);
        }

        foreach (var field in type.GetFields(Everything))
        {
            Add(field.FieldType, found);
        }

        foreach (var property in type.GetProperties(Everything))
        {
            Add(property.PropertyType, found);
        }

        foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
        {
            AddSignature(method, found);
            if (method.GetMethodBody() is { } body)
            {
                foreach (var local in body.LocalVariables)
                {
                    Add(local.LocalType, found);
                }

                foreach (var member in MembersIn(method, body.GetILAsByteArray() ?? []))
                {
                    AddMember(member, found);
                }
            }
        }

        foreach (var nested in type.GetNestedTypes(Everything))
        {
            Collect(nested, found);
        }
    }

    private static IEnumerable<MemberInfo> MembersIn(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[position++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    yield return module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments)!;
                    position += 4;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                default:
                    position += OperandSize(opCode.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    private static void AddMember(MemberInfo member, HashSet<Type> found)
    {
        switch (member)
        {
            case Type type:
                Add(type, found);
                break;
            case FieldInfo field:
                Add(field.DeclaringType, found);
                Add(field.FieldType, found);
                break;
            case MethodBase method:
                Add(method.DeclaringType, found);
                AddSignature(method, found);
                break;
        }
    }

    private static void AddSignature(MethodBase method, HashSet<Type> found)
    {
        if (method is MethodInfo info)
        {
            Add(info.ReturnType, found);
            if (info.IsGenericMethod)
            {
                foreach (var argument in info.GetGenericArguments())
                {
                    Add(argument, found);
                }
            }
        }

        foreach (var parameter in method.GetParameters())
        {
            Add(parameter.ParameterType, found);
        }
    }

    private static void Add(Type? type, HashSet<Type> found)
    {
        while (type is { HasElementType: true })
        {
            type = type.GetElementType();
        }

        if (type is null || type.IsGenericParameter || !found.Add(type))
        {
            return;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Add(argument, found);
            }
        }
    }
}
