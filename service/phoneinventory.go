package service

import (
	"fmt"
	"strings"

	"github.com/switchboard-dev/switchboard/api"
)

// The numbers SearchAvailablePhoneNumbers offers and ClaimPhoneNumber
// accepts. Every one comes from a range a national numbering authority
// reserves for fiction, drama or testing, so a number Switchboard hands out
// can never ring a real person. A country or number type without such a
// range has no numbers at all (an empty search, and "not available" for a
// claim). docs/BEHAVIOUR.md lists the ranges and their sources.

// numberRange is a run of numbers: prefix followed by every value from
// first to last, zero-padded to width digits.
type numberRange struct {
	country, typ string
	prefix       string // E.164, with the "+"
	first, last  int
	width        int
}

func (r numberRange) size() int { return r.last - r.first + 1 }

func (r numberRange) number(i int) string {
	if r.width == 0 {
		return r.prefix
	}
	return r.prefix + fmt.Sprintf("%0*d", r.width, r.first+i)
}

// contains reports whether e164 is a number of the range.
func (r numberRange) contains(e164 string) bool {
	rest, ok := strings.CutPrefix(e164, r.prefix)
	if !ok || len(rest) != r.width {
		return false
	}
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + int(c-'0')
	}
	return n >= r.first && n <= r.last
}

// nanpFictional is 555-0100..555-0199 of an area code: NANPA reserves this
// line range of every geographic area code for fictitious use. Toll-free
// area codes are left out: 8XX-555 numbers have been assigned to real
// subscribers.
func nanpFictional(country, areaCode string) numberRange {
	return numberRange{country: country, typ: api.PhoneNumberTypeDid, prefix: "+1" + areaCode + "5550", first: 100, last: 199, width: 3}
}

// ofcomDrama is a 1,000-number block Ofcom reserves for TV, film and radio
// drama ("TV, film and radio drama numbers").
func ofcomDrama(typ, prefix string) numberRange {
	return numberRange{country: "GB", typ: typ, prefix: prefix, first: 0, last: 999, width: 3}
}

// acmaSingle is one number of ACMA's list of numbers for use in creative
// works.
func acmaSingle(typ, e164 string) numberRange {
	return numberRange{country: "AU", typ: typ, prefix: e164, first: 0, last: 0, width: 0}
}

// acmaBlock is a block of ACMA's geographic numbers for creative works
// (0x 5550 xxxx and 0x 7010 xxxx); only its first 1,000 numbers are offered,
// which is plenty and keeps searches short.
func acmaBlock(prefix string) numberRange {
	return numberRange{country: "AU", typ: api.PhoneNumberTypeDid, prefix: prefix, first: 0, last: 999, width: 4}
}

// inventory is every number Switchboard offers, in the order searches list
// them.
var inventory = func() []numberRange {
	var out []numberRange
	for _, ac := range []string{"202", "206", "212", "303", "305", "312", "415", "512", "617", "702"} {
		out = append(out, nanpFictional("US", ac))
	}
	for _, ac := range []string{"416", "514", "604", "613"} {
		out = append(out, nanpFictional("CA", ac))
	}
	// Ofcom: London 020 7946 0xxx, Leeds 0113 496 0xxx, Birmingham
	// 0121 496 0xxx, Edinburgh 0131 496 0xxx, Glasgow 0141 496 0xxx,
	// Liverpool 0151 496 0xxx, Manchester 0161 496 0xxx, Tyneside
	// 0191 498 0xxx, no area 01632 960xxx, mobile 07700 900xxx; freephone
	// 0808 157 0xxx.
	for _, p := range []string{"+442079460", "+441134960", "+441214960", "+441314960", "+441414960", "+441514960", "+441614960", "+441914980", "+441632960", "+447700900"} {
		out = append(out, ofcomDrama(api.PhoneNumberTypeDid, p))
	}
	out = append(out, ofcomDrama(api.PhoneNumberTypeTollFree, "+448081570"))
	// ACMA: geographic 02/03/07/08 5550 xxxx (first 1,000 of each), the
	// listed mobile numbers, and the listed 1800 freephone numbers.
	for _, p := range []string{"+6125550", "+6135550", "+6175550", "+6185550"} {
		out = append(out, acmaBlock(p))
	}
	for _, m := range []string{"006", "156", "157", "158", "159", "110", "313", "737"} {
		out = append(out, acmaSingle(api.PhoneNumberTypeDid, "+61491570"+m))
	}
	for _, m := range []string{"1266", "1491", "1804", "2549", "2665", "2983", "3770", "3087", "4118", "4632", "5254", "5789", "6398", "6801", "7426", "7644", "8957", "8148", "8888", "9212", "9760", "9455"} {
		out = append(out, acmaSingle(api.PhoneNumberTypeDid, "+6149157"+m))
	}
	for _, n := range []string{"+611800160401", "+611800975707", "+611800975708", "+611800975709", "+611800975710", "+611800975711"} {
		out = append(out, acmaSingle(api.PhoneNumberTypeTollFree, n))
	}
	return out
}()

// inventoryEntry finds an offered number: its country and type, ok false
// when Switchboard never offers it.
func inventoryEntry(e164 string) (country, typ string, ok bool) {
	for _, r := range inventory {
		if r.contains(e164) {
			return r.country, r.typ, true
		}
	}
	return "", "", false
}

// walkInventory calls visit with each number of a country and type, in
// order, with its position among them, from position start, until visit
// returns false.
func walkInventory(country, typ string, start int, visit func(pos int, e164 string) bool) {
	pos := 0
	for _, r := range inventory {
		if r.country != country || r.typ != typ {
			continue
		}
		if pos+r.size() <= start {
			pos += r.size()
			continue
		}
		for i := max(0, start-pos); i < r.size(); i++ {
			if !visit(pos+i, r.number(i)) {
				return
			}
		}
		pos += r.size()
	}
}
