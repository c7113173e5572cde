package carryover

func (c *run) externalDNS() {}
