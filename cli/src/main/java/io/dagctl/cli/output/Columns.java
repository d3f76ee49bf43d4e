package io.dagctl.cli.output;

import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import java.util.function.Function;

/** Columns of the CLI's listings (ascii-table): text left-aligned, numbers right-aligned. */
public final class Columns {

    private Columns() {}

    public static <T> ColumnData<T> left(String header, Function<T, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.LEFT).with(value);
    }

    public static <T> ColumnData<T> right(String header, Function<T, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.RIGHT).with(value);
    }
}
