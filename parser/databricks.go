package parser

// Databricks notebook exports: .py files that start with
// "# Databricks notebook source", cells separated by "# COMMAND ----------",
// magic cells written as "# MAGIC ..." comment lines. Users editing such
// files in a repository also leave raw "%pip ..." or "!cmd" lines, which are
// not Python; MaskDatabricks blanks them without moving any byte.

import (
	"bytes"
	"sort"
	"strings"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

const (
	databricksHeader  = "# Databricks notebook source"
	databricksCommand = "# COMMAND ----------"
	databricksMagic   = "# MAGIC"
)

// IsDatabricksExport reports whether src starts with the Databricks export
// header line (a UTF-8 byte order mark and trailing blanks allowed).
func IsDatabricksExport(src []byte) bool {
	src = bytes.TrimPrefix(src, utf8BOM)
	if i := bytes.IndexByte(src, '\n'); i >= 0 {
		src = src[:i]
	}
	return string(bytes.TrimRight(src, " \t\r")) == databricksHeader
}

// MaskDatabricks returns a copy of src of the same length in which every
// "%..." or "!..." line at the start of a logical Python line (and its
// backslash continuation lines) has its first non-blank byte replaced by "#"
// and the rest of the line by spaces, so lines and columns are unchanged.
// "# MAGIC" lines are comments already and stay. pip lists the pip install
// commands, raw or inside "# MAGIC" lines, in file order.
func MaskDatabricks(src []byte) (masked []byte, pip []PipLine) {
	masked = bytes.Clone(src)
	cells := DatabricksCells(src)
	for _, m := range findMagics(src, false) {
		for _, seg := range m.segs {
			maskComment(masked[seg[0]:seg[1]])
		}
		if m.pip {
			pip = append(pip, PipLine{
				Cell: cellOfLine(cells, m.line+1), Line: m.line + 1, Offset: m.start,
				Text: string(src[m.start:m.end]), Command: m.command,
			})
		}
	}
	pip = append(pip, magicPipLines(src, cells)...)
	sort.SliceStable(pip, func(i, j int) bool { return pip[i].Offset < pip[j].Offset })
	return masked, pip
}

// magicPipLines finds "# MAGIC %pip install ..." commands, following
// backslash continuations onto the next "# MAGIC" lines.
func magicPipLines(src []byte, cells []int) []PipLine {
	var out []PipLine
	lines := lineRefs(src)
	magicBody := func(n int) (int, bool) {
		l := lines[n]
		line := src[l.start:contentEnd(src, l)]
		ind := len(leadingSpace(line))
		if !bytes.HasPrefix(line[ind:], []byte(databricksMagic)) {
			return 0, false
		}
		at := ind + len(databricksMagic)
		return l.start + at + len(leadingSpace(line[at:])), true
	}
	for n := 0; n < len(lines); n++ {
		at, ok := magicBody(n)
		end := contentEnd(src, lines[n])
		if !ok || at >= end || (src[at] != '%' && src[at] != '!') {
			continue
		}
		first, start := n, lines[n].start+len(leadingSpace(src[lines[n].start:end]))
		cmd := []string{string(src[at+1 : end])}
		for strings.HasSuffix(cmd[len(cmd)-1], "\\") && n+1 < len(lines) {
			next, ok := magicBody(n + 1)
			if !ok {
				break
			}
			cmd[len(cmd)-1] = strings.TrimRight(strings.TrimSuffix(cmd[len(cmd)-1], "\\"), " \t")
			n++
			end = contentEnd(src, lines[n])
			cmd = append(cmd, strings.TrimSpace(string(src[next:end])))
		}
		command := strings.TrimSpace(strings.Join(cmd, " "))
		if isPipInstall(command) {
			out = append(out, PipLine{
				Cell: cellOfLine(cells, first+1), Line: first + 1, Offset: start,
				Text: string(src[start:end]), Command: command,
			})
		}
	}
	return out
}

// DatabricksCells returns the 1-based line where each cell of a Databricks
// export starts: 1 for the first cell, then the line of each
// "# COMMAND ----------" separator.
func DatabricksCells(src []byte) []int {
	out := []int{1}
	for n, l := range lineRefs(src) {
		if n > 0 && string(bytes.TrimRight(src[l.start:l.end], " \t\r")) == databricksCommand {
			out = append(out, n+1)
		}
	}
	return out
}

// DatabricksCell returns the 1-based cell holding a 1-based line, given the
// starts returned by DatabricksCells.
func DatabricksCell(starts []int, line int) int { return cellOfLine(starts, line) }

func cellOfLine(starts []int, line int) int {
	return max(1, sort.SearchInts(starts, line+1))
}

// maskComment turns b into "#" followed by spaces.
func maskComment(b []byte) {
	for k := range b {
		b[k] = ' '
	}
	if len(b) > 0 {
		b[0] = '#'
	}
}
