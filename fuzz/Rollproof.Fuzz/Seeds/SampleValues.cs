using System.Collections;
using System.Reflection;
using Rollproof.Storage;

namespace Rollproof.Fuzz.Seeds;

/// <summary>
/// A value of any predicate record, built from its constructor: every member present, so a seed exercises every
/// field of the reader. Every text is the digest of <see cref="Document"/>, so a package holding that one document
/// holds every document its statements name.
/// </summary>
internal static class SampleValues
{
    public static readonly byte[] Document = "a document the sample statements name"u8.ToArray();
    public static readonly string Text = Sha256Digest.Of(Document).ToString();
    public static readonly DateTimeOffset Time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static T Of<T>() => (T)Of(typeof(T));

    private static object Of(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return Text;
        if (type == typeof(long) || type == typeof(int) || type == typeof(bool) || type == typeof(double))
            return Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture);
        if (type == typeof(DateTimeOffset))
            return Time;
        if (type == typeof(byte[]))
            return Document;
        if (type.IsEnum)
            return Enum.GetValues(type).GetValue(0)!;
        if (type.IsGenericType && type.GetGenericArguments() is [var key, var value] && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, value))!;
            map.Add(Of(key), Of(value));
            return map;
        }
        if (type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var list = Array.CreateInstance(item, 1);
            list.SetValue(Of(item), 0);
            return type.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) ? Activator.CreateInstance(typeof(HashSet<>).MakeGenericType(item), list)! : list;
        }
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).MaxBy(c => c.GetParameters().Length)
            ?? throw new InvalidOperationException($"no public constructor to build a sample {type}");
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Of(p.ParameterType))]);
    }
}
